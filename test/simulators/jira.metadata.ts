/** `GET /rest/api/2/serverInfo` (answered to anonymous callers too). */
export function serverInfo(flavor: 'cloud' | 'datacenter', baseUrl: string): object {
  return flavor === 'cloud'
    ? {
        baseUrl,
        version: '1001.0.0-SNAPSHOT',
        versionNumbers: [1001, 0, 0],
        deploymentType: 'Cloud',
        buildNumber: 100282,
        serverTitle: 'Jira',
      }
    : {
        baseUrl,
        version: '9.12.4',
        versionNumbers: [9, 12, 4],
        deploymentType: 'Server',
        buildNumber: 9120004,
        serverTitle: 'Jira',
      };
}

const SYSTEM_FIELDS = [
  'summary',
  'description',
  'status',
  'priority',
  'issuetype',
  'assignee',
  'reporter',
  'project',
  'components',
  'labels',
  'created',
  'updated',
  'resolutiondate',
  'duedate',
  'issuelinks',
];

/** `GET /rest/api/{2,3}/field`, so clients can discover the account custom field by name. */
export function fieldList(accountField: string): object[] {
  const customId = accountField.replace(/^customfield_/, '');
  return [
    ...SYSTEM_FIELDS.map((id) => ({
      id,
      key: id,
      name: id,
      custom: false,
      navigable: true,
      searchable: true,
    })),
    {
      id: accountField,
      key: accountField,
      name: 'Customer Account',
      custom: true,
      navigable: true,
      searchable: true,
      clauseNames: [`cf[${customId}]`, 'Customer Account'],
      schema: {
        type: 'string',
        custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield',
        customId: Number(customId),
      },
    },
  ];
}
