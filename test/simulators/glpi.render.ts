import { type GlpiFollowup, type GlpiTicket } from './glpi.records.js';
import { encodeEntities } from './http-util.js';
import { type LinkRenderer } from './links.js';
import { type TimeZone } from './time-zone.js';

/**
 * Renders tickets the way GLPI 10's legacy API does: naive datetimes in the server zone, and
 * strings entity-encoded (`&`, `<`, `>`) unless the caller sent `X-GLPI-Sanitized-Content: false`.
 */
export class GlpiRenderer {
  constructor(
    private readonly tz: TimeZone,
    private readonly links: LinkRenderer,
    private readonly apiUrl: () => string,
  ) {}

  /** One search row: option ids as keys; multi-valued actors collapse to scalar / array / null. */
  searchRow(t: GlpiTicket, columns: readonly number[], raw: boolean): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (const id of columns) row[id] = this.searchValue(t, id, raw);
    return row;
  }

  private searchValue(t: GlpiTicket, id: number, raw: boolean): unknown {
    const users = (logins: string[]) =>
      logins.length === 0 ? null : logins.length === 1 ? logins[0] : logins;
    switch (id) {
      case 2:
        return t.id;
      case 1:
        return this.text(t.name, raw);
      case 21:
        return this.text(this.content(t), raw);
      case 12:
        return t.status;
      case 3:
        return t.priority;
      case 10:
        return t.urgency;
      case 11:
        return t.impact;
      case 14:
        return t.type;
      case 15:
        return this.date(t.date);
      case 16:
        return this.date(t.closeDate);
      case 17:
        return this.date(t.solveDate);
      case 18:
        return this.date(t.timeToResolve);
      case 19:
        return this.date(t.dateMod);
      case 4:
        return users(t.requesters);
      case 5:
        return users(t.technicians);
      case 7:
        return t.category;
      case 80:
        return t.entity;
      default:
        return null;
    }
  }

  /** The raw `glpi_tickets` row of `GET Ticket/:id` and `GET Ticket/`. */
  rawTicket(t: GlpiTicket, options: { raw: boolean; expand: boolean; hateoas: boolean }) {
    const { raw, expand, hateoas } = options;
    const row: Record<string, unknown> = {
      id: t.id,
      entities_id: expand ? t.entity : t.entitiesId,
      name: this.text(t.name, raw),
      date: this.date(t.date),
      closedate: this.date(t.closeDate),
      solvedate: this.date(t.solveDate),
      takeintoaccountdate: this.date(t.date),
      date_mod: this.date(t.dateMod),
      users_id_lastupdater: t.usersIdLastupdater,
      status: t.status,
      users_id_recipient: t.usersIdRecipient,
      requesttypes_id: t.requesttypesId,
      content: this.text(this.content(t), raw),
      urgency: t.urgency,
      impact: t.impact,
      priority: t.priority,
      itilcategories_id: expand ? t.category : t.itilcategoriesId,
      type: t.type,
      global_validation: 1,
      slas_id_ttr: 0,
      slas_id_tto: 0,
      slalevels_id_ttr: 0,
      time_to_resolve: this.date(t.timeToResolve),
      time_to_own: null,
      begin_waiting_date: null,
      sla_waiting_duration: 0,
      ola_waiting_duration: 0,
      olas_id_tto: 0,
      olas_id_ttr: 0,
      olalevels_id_ttr: 0,
      internal_time_to_resolve: null,
      internal_time_to_own: null,
      waiting_duration: 0,
      close_delay_stat: 0,
      solve_delay_stat: 0,
      takeintoaccount_delay_stat: 0,
      actiontime: 0,
      is_deleted: 0,
      locations_id: 0,
      validation_percent: 0,
      date_creation: this.date(t.date),
      externalid: null,
    };
    if (hateoas) {
      const api = this.apiUrl();
      row.links = [
        { rel: 'Entity', href: `${api}/Entity/${t.entitiesId}` },
        { rel: 'User', href: `${api}/User/${t.usersIdRecipient}` },
        { rel: 'ITILCategory', href: `${api}/ITILCategory/${t.itilcategoriesId}` },
        { rel: 'RequestType', href: `${api}/RequestType/${t.requesttypesId}` },
        { rel: 'ITILFollowup', href: `${api}/Ticket/${t.id}/ITILFollowup/` },
        { rel: 'ITILSolution', href: `${api}/Ticket/${t.id}/ITILSolution/` },
        { rel: 'Ticket_User', href: `${api}/Ticket/${t.id}/Ticket_User/` },
      ];
    }
    return row;
  }

  followup(t: GlpiTicket, f: GlpiFollowup, raw: boolean): Record<string, unknown> {
    const date = this.date(f.date);
    return {
      id: f.id,
      itemtype: 'Ticket',
      items_id: t.id,
      date,
      users_id: f.usersId,
      users_id_editor: 0,
      content: this.text(f.content, raw),
      is_private: f.isPrivate ? 1 : 0,
      requesttypes_id: 1,
      date_mod: date,
      date_creation: date,
      timeline_position: 1,
      sourceitems_id: 0,
      sourceof_items_id: 0,
    };
  }

  /** Ticket content with `{{link:N}}` placeholders replaced by the peers' live URLs. */
  content(t: GlpiTicket): string {
    return t.content.replace(/\{\{link:(\d+)\}\}/g, (_, i: string) => {
      const ref = t.links[Number(i)];
      return ref ? this.links.url(ref) : '';
    });
  }

  private text(value: string, raw: boolean): string {
    return raw ? value : encodeEntities(value);
  }

  private date(ms: number | null): string | null {
    return ms === null ? null : this.tz.formatNaive(ms);
  }
}
