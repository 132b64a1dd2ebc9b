import { BeforeApplicationShutdown, Injectable, Module } from '@nestjs/common';
import { WebSocket } from 'ws';
import { ChangesModule } from 'src/changes/changes.module';
import { ChangeFollowers } from 'src/changes/change-followers.service';
import { ServiceStopping } from 'src/changes/change-follower';

/** How long the last messages get to leave before the sockets close. */
const FLUSH_MS = 100;

/**
 * The open graphql-ws connections. When the service stops, every subscription first hears why
 * (503 service-stopping, resume with its last cursor), then the sockets close with 1001 (going
 * away), so that stopping never waits on a subscriber and clients know to reconnect.
 */
@Injectable()
export class GraphqlSockets implements BeforeApplicationShutdown {
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly followers: ChangeFollowers) {}

  add(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.sockets.size === 0) return;
    this.followers.endAll(new ServiceStopping());
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
    for (const socket of this.sockets) socket.close(1001, 'The service is stopping');
  }
}

@Module({ imports: [ChangesModule], providers: [GraphqlSockets], exports: [GraphqlSockets] })
export class GraphqlSocketsModule {}
