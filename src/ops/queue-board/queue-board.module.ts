import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module.js';
import { CallerIdentity } from '../../auth/caller-identity.js';
import { SYNC_QUEUE } from '../../sync/sync.constants.js';
import { WATCH_QUEUE } from '../../watcher/watch.constants.js';
import { QueueModule } from '../../sync/queue.module.js';
import { queueBoardAccess } from './queue-board.access.js';
import { QUEUE_BOARD_ROUTE } from './queue-board.route.js';

/** Bull Board for admins (session or admin API token), over every Caseboard queue. */
@Module({
  imports: [
    QueueModule,
    BullBoardModule.forRootAsync({
      imports: [AuthModule],
      inject: [CallerIdentity],
      useFactory: (caller: CallerIdentity) => ({
        route: QUEUE_BOARD_ROUTE,
        adapter: ExpressAdapter,
        middleware: queueBoardAccess(caller),
        boardOptions: { uiConfig: { boardTitle: 'Caseboard queues' } },
      }),
    }),
    BullBoardModule.forFeature(
      { name: SYNC_QUEUE, adapter: BullAdapter },
      { name: WATCH_QUEUE, adapter: BullAdapter },
    ),
  ],
})
export class QueueBoardModule {}
