import {
  IdParams,
  ImportBatchList,
  ImportBatchView,
  ImportPreview,
  ImportPreviewQuery,
  ImportRowList,
  ImportRowParams,
  ImportRowResolveBody,
  ImportRowRetryBody,
  ImportRollbackView,
  ImportRowView,
  ImportRowsQuery,
  ImportStartBody,
  PageQuery,
  SourceTypeSchema,
} from '@cds/contract';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { may, requireThat } from '../access/policy.ts';
import { XLSX_MEDIA_TYPE, actorOf, sendWorkbook } from '../../platform/http.ts';
import { getImport, listImports, previewImport, startImport } from './import-jobs.service.ts';
import { rollbackImport } from './import-rollback.service.ts';
import { templateFileName, writeImportTemplate } from './import-template.ts';
import { listImportRows, resolveImportRow, retryImportRow, writeImportReport } from './import-rows.service.ts';
import { UPLOAD_LIMIT } from './upload-store.ts';

export function importRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['imports'];
    // Files arrive as the raw request body and are handed on as the request stream itself, never
    // buffered: the service writes it to disk and enforces UPLOAD_LIMIT while it does. This
    // parser is scoped to these routes only.
    app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

    app.post(
      '/api/imports/files',
      {
        bodyLimit: UPLOAD_LIMIT,
        schema: {
          tags,
          summary: 'Upload a CSV or XLSX list and see how it reads (nothing is imported yet)',
          querystring: ImportPreviewQuery,
          consumes: ['application/octet-stream'],
          response: { 200: ImportPreview },
        },
      },
      async (request) => {
        if (!(request.body instanceof Readable)) {
          throw new AppError('VALIDATION_FAILED', [{ path: 'body', message: 'Gửi tệp dưới dạng application/octet-stream' }]);
        }
        return previewImport(deps, actorOf(request), request.body, { ...request.query, declaredBytes: Number(request.headers['content-length'] ?? NaN) });
      },
    );
    app.post('/api/imports', { schema: { tags, summary: 'Start importing an uploaded file in the background', body: ImportStartBody, response: { 200: ImportBatchView } } }, async (request) =>
      startImport(deps, actorOf(request), request.body),
    );
    app.get(
      '/api/imports/templates/:sourceType',
      {
        schema: {
          tags,
          summary: 'An empty list of one source type, laid out as the import reads it best, with a sheet on how to fill each column',
          params: z.object({ sourceType: SourceTypeSchema }),
          produces: [XLSX_MEDIA_TYPE],
        },
      },
      async (request, reply) => {
        requireThat(may.editRegistry(actorOf(request)));
        const { sourceType } = request.params;
        return sendWorkbook(reply, templateFileName(sourceType), (output) => writeImportTemplate(sourceType, output));
      },
    );
    app.get('/api/imports', { schema: { tags, summary: 'Imports, newest first', querystring: PageQuery, response: { 200: ImportBatchList } } }, async (request) =>
      listImports(deps, actorOf(request), request.query),
    );
    app.get('/api/imports/:id', { schema: { tags, summary: 'One import and its progress', params: IdParams, response: { 200: ImportBatchView } } }, async (request) =>
      getImport(deps, actorOf(request), request.params.id),
    );
    app.get(
      '/api/imports/:id/rows',
      { schema: { tags, summary: 'The rows of an import and their states (review queue, quarantine)', params: IdParams, querystring: ImportRowsQuery, response: { 200: ImportRowList } } },
      async (request) => listImportRows(deps, actorOf(request), request.params.id, request.query),
    );
    app.post(
      '/api/imports/:id/rows/:record/retry',
      { schema: { tags, summary: 'Fix a rejected row and evaluate it again', params: ImportRowParams, body: ImportRowRetryBody, response: { 200: ImportRowView } } },
      async (request) => retryImportRow(deps, actorOf(request), request.params.id, request.params.record, request.body.cells),
    );
    app.post(
      '/api/imports/:id/rows/:record/resolve',
      { schema: { tags, summary: 'Decide a row held for review', params: ImportRowParams, body: ImportRowResolveBody, response: { 200: ImportRowView } } },
      async (request) => resolveImportRow(deps, actorOf(request), request.params.id, request.params.record, request.body),
    );
    app.post(
      '/api/imports/:id/rollback',
      {
        schema: {
          tags,
          summary: 'Roll an import back: withdraw its facts, remove what only it created, restore what it overwrote',
          description:
            'One transaction. The batch becomes rolled_back and keeps its rows; the same file may then be imported again. ' +
            'Refused with IMPORT_RUNNING while the import is still moving, IMPORT_ROLLED_BACK when already undone, ' +
            'FORBIDDEN when it wrote in a unit outside the caller’s area.',
          params: IdParams,
          response: { 200: ImportRollbackView },
        },
      },
      async (request) => rollbackImport(deps, actorOf(request), request.params.id),
    );
    app.get(
      '/api/imports/:id/report.xlsx',
      {
        schema: {
          tags,
          summary: 'The row-level report as a workbook',
          params: IdParams,
          produces: [XLSX_MEDIA_TYPE],
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        // Checks access first, so a refusal is a JSON error rather than a broken download.
        await getImport(deps, actor, request.params.id);
        return sendWorkbook(reply, `bao-cao-nhap-${request.params.id}.xlsx`, (output) => writeImportReport(deps, actor, request.params.id, output));
      },
    );
  };
}
