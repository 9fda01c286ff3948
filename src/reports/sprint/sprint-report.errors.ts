/**
 * The board or sprint asked for does not exist, is not visible, or cannot be reported on
 * (a kanban board, a sprint not started). The CLI exits 2 with the message; the page says it.
 */
export class SprintNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = SprintNotFoundError.name;
  }
}
