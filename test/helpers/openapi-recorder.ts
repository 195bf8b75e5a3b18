import Test from 'supertest/lib/test';
import { Answer, checkAnswer } from './openapi-answers';

// Jest setup (jest.config.js setupFilesAfterEnv): every answer a test receives through supertest is
// checked against the OpenAPI document; after the file's tests, any answer that did not fit fails
// the file, naming each one. See test/helpers/openapi-answers.ts.

interface SupertestResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}
type Assert = (
  this: { method: string; url: string },
  err: unknown,
  res: SupertestResponse | undefined,
  fn: unknown,
) => unknown;

const misfits = new Set<string>();
const proto = Test.prototype as unknown as { assert: Assert };
const original = proto.assert;
proto.assert = function assert(this: { method: string; url: string }, err, res, fn) {
  if (res) {
    const answer: Answer = {
      method: this.method,
      url: this.url,
      status: res.status,
      contentType: res.headers['content-type'],
      body: res.body,
    };
    const problem = checkAnswer(answer);
    if (problem) misfits.add(problem);
  }
  return original.call(this, err, res, fn);
};

afterAll(() => {
  if (misfits.size === 0) return;
  const lines = [...misfits].slice(0, 20).join('\n  ');
  throw new Error(`${misfits.size} API answers do not fit /api/v1/openapi.json:\n  ${lines}`);
});
