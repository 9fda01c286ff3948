import { type GlpiTicket } from './glpi.records.js';

export type GlpiDatatype = 'itemlink' | 'number' | 'text' | 'datetime' | 'dropdown' | 'users';

/** One Ticket search option the simulator understands (ids as in GLPI's Ticket::rawSearchOptions). */
export interface GlpiSearchOption {
  id: number;
  name: string;
  table: string;
  field: string;
  datatype: GlpiDatatype;
  searchtypes: readonly string[];
  /** The value the search engine compares and sorts on. */
  raw(t: GlpiTicket): string | number | null | readonly string[];
}

const TEXT_TYPES = ['contains', 'notcontains', 'equals', 'notequals'];
const NUMBER_TYPES = ['contains', 'equals', 'notequals', 'lessthan', 'morethan'];
const DATE_TYPES = ['contains', 'equals', 'notequals', 'lessthan', 'morethan'];
const DROPDOWN_TYPES = ['contains', 'notcontains', 'equals', 'notequals', 'under', 'notunder'];

function option(
  id: number,
  name: string,
  table: string,
  field: string,
  datatype: GlpiDatatype,
  searchtypes: readonly string[],
  raw: GlpiSearchOption['raw'],
): [number, GlpiSearchOption] {
  return [id, { id, name, table, field, datatype, searchtypes, raw }];
}

const TICKETS = 'glpi_tickets';

export const GLPI_SEARCH_OPTIONS: ReadonlyMap<number, GlpiSearchOption> = new Map([
  option(1, 'Title', TICKETS, 'name', 'itemlink', TEXT_TYPES, (t) => t.name),
  option(2, 'ID', TICKETS, 'id', 'number', NUMBER_TYPES, (t) => t.id),
  option(21, 'Description', TICKETS, 'content', 'text', TEXT_TYPES, (t) => t.content),
  option(12, 'Status', TICKETS, 'status', 'number', ['equals', 'notequals'], (t) => t.status),
  option(3, 'Priority', TICKETS, 'priority', 'number', NUMBER_TYPES, (t) => t.priority),
  option(10, 'Urgency', TICKETS, 'urgency', 'number', NUMBER_TYPES, (t) => t.urgency),
  option(11, 'Impact', TICKETS, 'impact', 'number', NUMBER_TYPES, (t) => t.impact),
  option(14, 'Type', TICKETS, 'type', 'number', ['equals', 'notequals'], (t) => t.type),
  option(15, 'Opening date', TICKETS, 'date', 'datetime', DATE_TYPES, (t) => t.date),
  option(16, 'Closing date', TICKETS, 'closedate', 'datetime', DATE_TYPES, (t) => t.closeDate),
  option(17, 'Resolution date', TICKETS, 'solvedate', 'datetime', DATE_TYPES, (t) => t.solveDate),
  option(18, 'Time to resolve', TICKETS, 'time_to_resolve', 'datetime', DATE_TYPES, (t) => {
    return t.timeToResolve;
  }),
  option(19, 'Last update', TICKETS, 'date_mod', 'datetime', DATE_TYPES, (t) => t.dateMod),
  option(4, 'Requester', 'glpi_users', 'name', 'users', TEXT_TYPES, (t) => t.requesters),
  option(5, 'Technician', 'glpi_users', 'name', 'users', TEXT_TYPES, (t) => t.technicians),
  option(7, 'Category', 'glpi_itilcategories', 'completename', 'dropdown', DROPDOWN_TYPES, (t) => {
    return t.category;
  }),
  option(80, 'Entity', 'glpi_entities', 'completename', 'dropdown', DROPDOWN_TYPES, (t) => {
    return t.entity;
  }),
]);

/** The `listSearchOptions/Ticket` body for the options above. */
export function listSearchOptions(): Record<string, unknown> {
  const out: Record<string, unknown> = { common: 'Characteristics' };
  for (const option of GLPI_SEARCH_OPTIONS.values()) {
    out[String(option.id)] = {
      name: option.name,
      table: option.table,
      field: option.field,
      datatype: option.datatype === 'users' ? 'dropdown' : option.datatype,
      nosearch: false,
      nodisplay: false,
      available_searchtypes: option.searchtypes,
      uid: `Ticket.${option.table === 'glpi_tickets' ? option.field : option.table}`,
    };
  }
  return out;
}
