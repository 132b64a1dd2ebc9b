import { Module } from '@nestjs/common';
import { ExplorerController } from 'src/explorer/explorer.controller';

/** The web explorer under /explore: the built single-page application and its settings. */
@Module({ controllers: [ExplorerController] })
export class ExplorerModule {}
