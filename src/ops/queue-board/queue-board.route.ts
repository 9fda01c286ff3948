export const QUEUE_BOARD_ROUTE = '/admin/queues';
