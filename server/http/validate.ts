import { z, ZodError, ZodIssue, ZodTypeAny } from 'zod';
import { BadRequestError, FieldErrors, ValidationError } from './errors';

function issueToField(issue: ZodIssue): { key: string; params?: Record<string, unknown> } {
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return { key: 'field.required' };
  if (issue.code === 'invalid_type') return { key: 'field.wrongType' };
  if (issue.code === 'too_big' && issue.type === 'string')
    return { key: 'field.tooLong', params: { max: issue.maximum } };
  if (issue.code === 'too_small' && issue.type === 'string') {
    return Number(issue.minimum) <= 1
      ? { key: 'field.required' }
      : { key: 'field.tooShort', params: { min: issue.minimum } };
  }
  if (issue.code === 'invalid_enum_value') return { key: 'field.unknownValue' };
  if (issue.code === 'invalid_string' && issue.validation === 'datetime') return { key: 'field.date' };
  if (issue.code === 'custom' && issue.params?.key) return { key: String(issue.params.key), params: issue.params };
  return { key: 'field.invalid' };
}

/**
 * Validates input with one schema. Wrong JSON types (a number where text belongs, an array for an
 * object) are 400 BAD_REQUEST; missing or unacceptable values are 422 VALIDATION. Both carry fields.
 */
export function parseInput<S extends ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data as z.infer<S>;
  throw zodToAppError(result.error);
}

export function zodToAppError(error: ZodError): BadRequestError | ValidationError {
  const fields: FieldErrors = {};
  let wrongType = false;
  for (const issue of error.issues) {
    const name = issue.path.join('.') || '_';
    if (!fields[name]) fields[name] = issueToField(issue);
    if (issue.code === 'invalid_type' && issue.received !== 'undefined') wrongType = true;
  }
  return wrongType ? new BadRequestError('error.BAD_REQUEST', fields) : new ValidationError(fields);
}

/** ISO 8601 with an offset or Z, e.g. 2026-11-21T09:00:00+08:00 */
export const isoDateTime = z.string().datetime({ offset: true });
/** Plain text from a person, trimmed, with a length limit. */
export const text = (max: number, min = 1) => z.string().trim().min(min).max(max);
