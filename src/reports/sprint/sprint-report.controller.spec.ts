import type { Response } from 'express';
import type { AuthedRequest } from '../../auth/request-context.js';
import type { AppConfig, JiraConfig } from '../../config/app-config.js';
import { NOOP_OBSERVER } from '../../sources/http/upstream-observer.js';
import type { PageModelService } from '../../web/page-model.service.js';
import { SprintReportController } from './sprint-report.controller.js';
import { SprintReportService } from './sprint-report.service.js';

const jira = (auth: JiraConfig['auth']): JiraConfig => ({
  url: 'http://127.0.0.1:9',
  flavor: 'datacenter',
  auth,
  pageSize: 50,
  remoteLinks: false,
  statusMap: {},
  priorityMap: {},
});

function controllerFor(sources: AppConfig['sources']) {
  const config = { sources, upstream: {} } as unknown as AppConfig;
  const pages = { base: () => Promise.resolve({ title: 'Sprint report' }) };
  return new SprintReportController(
    new SprintReportService(config, NOOP_OBSERVER),
    pages as unknown as PageModelService,
  );
}

describe(SprintReportController.name, () => {
  const res = { status: jest.fn() } as unknown as Response;
  const req = {} as AuthedRequest;

  it('should say JIRA is not configured (no error) when the web role has no JIRA settings', async () => {
    for (const sources of [{}, { jira: jira({ kind: 'bearer', token: '' }) }]) {
      const model = await controllerFor(sources).sprint(req, { board: '7' }, res);
      expect(model).toMatchObject({
        notConfigured: true,
        form: { board: '7', sprint: 'last-closed' },
      });
      expect(model).not.toHaveProperty('report');
    }
    expect(res.status).not.toHaveBeenCalled();
  });
});
