import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthedRequest } from '../../auth/request-context.js';
import type { PageModelService } from '../../web/page-model.service.js';
import { StatusController } from './status.controller.js';
import type { StatusService } from './status.service.js';
import type { SyncNowAnswer, SyncNowService } from './sync-now.service.js';

describe(StatusController.name, () => {
  const started: string[] = [];
  const status = { isConfigured: (s: string) => s !== 'bugzilla' } as unknown as StatusService;
  const syncNow = {
    start: (source: string, _by: string, requestId: string) => {
      started.push(`${source} ${requestId}`);
      return Promise.resolve({
        started: true,
        message: 'queued',
        job: { id: `sync:${source}:incremental:1` },
      } as SyncNowAnswer);
    },
  } as unknown as SyncNowService;
  const controller = new StatusController(status, syncNow, {} as PageModelService);

  const request = (accept: string, requestId?: string) =>
    ({
      headers: requestId ? { 'x-request-id': requestId } : {},
      caseboardUser: { id: 'carol' },
      accepts: (types: string[]) => (accept === 'json' ? 'json' : types[0]),
    }) as unknown as AuthedRequest;

  const response = () => {
    const sent: { status?: number; body?: unknown; redirect?: [number, string] } = {};
    const res = {
      status: (code: number) => ((sent.status = code), res),
      json: (body: unknown) => ((sent.body = body), res),
      redirect: (code: number, url: string) => (sent.redirect = [code, url]),
    };
    return { res: res as unknown as Response, sent };
  };

  beforeEach(() => (started.length = 0));

  it('should refuse an unknown source with 404 and an unconfigured one with 400, starting nothing', async () => {
    const { res } = response();
    await expect(controller.start(request('html'), res, 'redmine')).rejects.toThrow(
      new NotFoundException('Unknown source redmine'),
    );
    await expect(controller.start(request('html'), res, 'bugzilla')).rejects.toThrow(
      new BadRequestException('bugzilla is not configured in this deployment'),
    );
    expect(started).toEqual([]);
  });

  it('should send a form post back to the page watching the job, and answer fetch with JSON', async () => {
    const form = response();
    await controller.start(request('html', 'request-7777'), form.res, 'jira');
    expect(form.sent.redirect).toEqual([
      303,
      '/status?job=sync%3Ajira%3Aincremental%3A1#source-jira',
    ]);
    const json = response();
    await controller.start(request('json', 'bad id with spaces'), json.res, 'glpi');
    expect(json.sent.status).toBe(202);
    expect(started[0]).toBe('jira request-7777');
    // an unusable request id is replaced by a fresh one
    expect(started[1]).toMatch(/^glpi [0-9a-f-]{36}$/);
  });
});
