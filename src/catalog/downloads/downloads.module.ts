import { Module } from '@nestjs/common';
import { GovernanceModule } from 'src/governance/governance.module';
import { NgsiLdModule } from 'src/ngsi-ld/ngsi-ld.module';
import { DownloadDescriptions } from 'src/catalog/downloads/download-description.service';
import { DownloadsController } from 'src/catalog/downloads/downloads.controller';
import { DownloadsRepository } from 'src/catalog/downloads/downloads.repository';
import { DownloadsService } from 'src/catalog/downloads/downloads.service';

/** Bulk downloads of datasets (CSV, GeoJSON, NGSI-LD; history as CSV), the catalog's download distributions. */
@Module({
  imports: [GovernanceModule, NgsiLdModule],
  controllers: [DownloadsController],
  providers: [DownloadsRepository, DownloadDescriptions, DownloadsService],
})
export class DownloadsModule {}
