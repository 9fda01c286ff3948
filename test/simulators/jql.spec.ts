import { JqlError, parseJql } from './jql.js';

describe(parseJql.name, () => {
  it('should parse the incremental sync query', () => {
    expect(
      parseJql(
        'project in (SUP, OPS) AND updated >= "2025-03-01 08:00" ORDER BY updated ASC, key ASC',
      ),
    ).toEqual({
      where: {
        kind: 'and',
        items: [
          {
            kind: 'clause',
            field: 'project',
            operator: 'in',
            values: [
              { kind: 'word', text: 'SUP' },
              { kind: 'word', text: 'OPS' },
            ],
          },
          {
            kind: 'clause',
            field: 'updated',
            operator: '>=',
            values: [{ kind: 'string', text: '2025-03-01 08:00' }],
          },
        ],
      },
      orderBy: [
        { field: 'updated', direction: 'ASC' },
        { field: 'key', direction: 'ASC' },
      ],
    });
  });

  it('should handle OR, NOT, parentheses, IS EMPTY, NOT IN and functions', () => {
    const query = parseJql(
      '(key = SUP-1 OR assignee is EMPTY) AND NOT status not in (Done) AND updated > now()',
    );
    expect(query.where).toMatchObject({
      kind: 'and',
      items: [
        { kind: 'or', items: [{ field: 'key' }, { field: 'assignee', operator: 'is' }] },
        { kind: 'not', item: { field: 'status', operator: 'not in' } },
        { field: 'updated', values: [{ kind: 'function', text: 'now' }] },
      ],
    });
  });

  it('should accept a query that is only an ORDER BY', () => {
    expect(parseJql('order by created DESC')).toEqual({
      where: null,
      orderBy: [{ field: 'created', direction: 'DESC' }],
    });
  });

  it('should raise JQL errors with the JIRA prefix', () => {
    for (const bad of [
      'project = = SUP',
      'project in (SUP',
      'summary ~ "open',
      'project SUP',
      'AND x = 1',
    ]) {
      let error: unknown;
      try {
        parseJql(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(JqlError);
      expect((error as JqlError).jiraMessage).toMatch(/^Error in the JQL Query: /);
    }
  });
});
