import { Module } from '@nestjs/common';
import { GovernanceModule } from 'src/governance/governance.module';
import { ChangeLogRepository } from 'src/changes/change-log.repository';
import { ChangeSequencer } from 'src/changes/change-sequencer';
import { ChangeSignal } from 'src/changes/change-signal';
import { ChangeStreams } from 'src/changes/change-stream.service';
import { ChangeFanOut } from 'src/changes/change-fan-out.service';
import { ChangeFollowers } from 'src/changes/change-followers.service';
import { ChangesController } from 'src/changes/changes.controller';
import { Leadership } from 'src/changes/leadership';

/** The change feed: every committed entity change, numbered, for subscriptions, SSE readers and GraphQL subscriptions. */
@Module({
  imports: [GovernanceModule],
  controllers: [ChangesController],
  providers: [ChangeSignal, ChangeLogRepository, ChangeSequencer, ChangeStreams, Leadership, ChangeFanOut, ChangeFollowers],
  exports: [ChangeSignal, ChangeLogRepository, ChangeSequencer, ChangeStreams, Leadership, ChangeFollowers],
})
export class ChangesModule {}
