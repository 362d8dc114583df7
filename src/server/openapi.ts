// The OpenAPI 3.1 description served at GET /openapi.json: every route of every served model,
// with the three ways to send rows and the shape of each answer, so clients can be generated.

import type { ModelRoutes } from './model_routes.js';

const error = {
  description: 'the request was refused; the message says why',
  content: json({ $ref: '#/components/schemas/Error' }),
};

function json(schema: object) {
  return { 'application/json': { schema } };
}

const ANSWERS: Record<string, object> = {
  score: { type: 'object', properties: { scores: { type: 'array', items: { type: 'number' } } } },
  detect: {
    type: 'object',
    properties: {
      threshold: { type: 'number' },
      thresholdRule: { type: 'string' },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            score: { type: 'number' },
            anomaly: { type: 'boolean' },
            topFeatures: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
  encode: {
    type: 'object',
    properties: { codes: { type: 'array', items: { type: 'array', items: { type: 'number' } } } },
  },
  reconstruct: { type: 'object', properties: { columns: { type: 'array' }, rows: { type: 'array' } } },
  impute: {
    type: 'object',
    properties: {
      columns: { type: 'array' },
      rows: { type: 'array' },
      filledCells: { type: 'integer' },
      iterations: { type: 'integer' },
    },
  },
};

const SUMMARY: Record<string, string> = {
  score: "each row's anomaly score (reconstruction error, or the detector's score)",
  detect: "scores, flags above the model's saved threshold, and each flagged row's worst features",
  encode: "each row's code",
  reconstruct: 'each row rebuilt by the autoencoder (a table in its own columns and units)',
  impute: 'the table with its missing cells (null) filled, observed cells unchanged',
};

export function openApiDocument(models: ModelRoutes[], maxRows: number): object {
  const paths: Record<string, object> = {
    '/health': { get: { summary: 'liveness', responses: { 200: { description: 'ok' } } } },
  };
  for (const m of models) {
    paths[`${m.prefix}/model`] = {
      get: {
        summary: `${m.model.name}: summary, preprocessing and threshold`,
        responses: { 200: { description: 'the model' } },
      },
    };
    for (const r of m.routes)
      paths[`${m.prefix}/${r}`] = {
        post: {
          summary: `${m.model.name}: ${SUMMARY[r]}`,
          requestBody: {
            required: true,
            content: {
              ...json({ $ref: '#/components/schemas/Rows' }),
              'text/csv': { schema: { type: 'string', description: 'a header row with the model columns, then rows' } },
            },
          },
          responses: {
            200: { description: 'one answer per row, in order', content: json(ANSWERS[r]!) },
            400: error,
            413: error,
            422: error,
          },
        },
      };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hourglass scoring server', version: '1' },
    paths,
    components: {
      schemas: {
        Rows: {
          type: 'object',
          required: ['rows'],
          properties: {
            rows: {
              type: 'array',
              minItems: 1,
              maxItems: maxRows,
              items: {
                oneOf: [
                  { type: 'array', description: "a row's values: a table's cells in column order, else numbers" },
                  {
                    type: 'object',
                    description: "a table row's cells by column name; null is missing",
                    additionalProperties: true,
                  },
                ],
              },
            },
          },
        },
        Error: {
          type: 'object',
          properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  };
}
