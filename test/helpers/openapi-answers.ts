import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../server/openapi/openapi';

// Checks an answer of the API against GET /api/v1/openapi.json: the operation must be documented,
// its status too (errors under `default`), and a JSON body must fit the documented schema (ajv).
// Used by test/helpers/openapi-recorder.ts on every answer the integration suite sees.

interface Media {
  schema: object;
}
interface Operation {
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface Doc {
  paths: Record<string, Partial<Record<string, Operation>>>;
  components: object;
}

const BASE = 'https://township-trading.invalid/openapi.json';
const doc = openApiDocument() as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: BASE, components: doc.components });

const templates = Object.keys(doc.paths)
  .map((t) => ({
    template: t,
    params: (t.match(/\{/g) ?? []).length,
    regex: new RegExp(`^${t.replace(/\{\w+\}/g, '[^/]+')}$`),
  }))
  .sort((a, b) => a.params - b.params);

const validators = new Map<string, ValidateFunction>();
function validatorFor(key: string, schema: object): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    const text = JSON.stringify(schema).replace(/"#\/components\//g, `"${BASE}#/components/`);
    v = ajv.compile(JSON.parse(text) as object);
    validators.set(key, v);
  }
  return v;
}

export interface Answer {
  method: string;
  url: string;
  status: number;
  contentType: string | undefined;
  body: unknown;
}

/** Null when the answer fits the document, else a line saying what does not. */
export function checkAnswer(a: Answer): string | null {
  const path = new URL(a.url, 'http://localhost').pathname;
  if (!path.startsWith('/api/v1/')) return null;
  const rel = path.slice('/api/v1'.length);
  const method = a.method.toLowerCase() === 'head' ? 'get' : a.method.toLowerCase();
  const head = a.method.toLowerCase() === 'head';
  const known = templates.filter((t) => t.regex.test(rel));
  const found = known.find((t) => doc.paths[t.template][method]);
  const where = `${a.method} ${rel} → ${a.status}`;
  let responses: Operation['responses'];
  let key: string;
  if (found) {
    responses = doc.paths[found.template][method]!.responses;
    key = `${method} ${found.template}`;
  } else if (a.status >= 400) {
    // a path nobody serves (404), a method a known path does not serve (405), a guard before routing:
    // whatever it is, an error answers with the one error body
    responses = { default: doc.paths['/listings']['get']!.responses.default };
    key = 'error';
  } else return `${where}: not in the OpenAPI document`;
  const documented = responses[String(a.status)];
  if (!documented && a.status < 400 && a.status !== 304) return `${where}: status not documented for ${key}`;
  const response = documented ?? responses.default;
  if (a.status === 304 || head || !response?.content) return null;
  const json = response.content['application/json'];
  if (!json) return null; // files and streams: the media type is documented, the bytes are not JSON
  if (!a.contentType?.startsWith('application/json')) return `${where}: answered ${a.contentType}, not JSON`;
  const validate = validatorFor(`${key} ${documented ? a.status : 'default'}`, json.schema);
  if (validate(a.body)) return null;
  const errors = (validate.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
    .join('; ');
  return `${where}: the body does not fit the document (${errors})`;
}
