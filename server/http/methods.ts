import type { Request, RequestHandler, Router } from 'express';
import { AppError } from './errors';

interface RouteLayer {
  match(path: string): false | { path: string };
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: RouteLayer[] };
}

/** The methods the routes of `stack` serve at `path` (routers mounted inside are searched too). */
function methodsAt(stack: RouteLayer[], path: string, into: Set<string>): void {
  for (const layer of stack) {
    const m = layer.match(path);
    if (!m) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') into.add(method);
    } else if (layer.handle?.stack) {
      methodsAt(layer.handle.stack, path.slice(m.path.length) || '/', into);
    }
  }
}

/**
 * Mounted after a router's routes: a path it knows, asked with a method it does not serve, is
 * 405 with an Allow header (and the API's error body) instead of a 404.
 */
export function methodNotAllowed(router: Router): RequestHandler {
  return (req: Request, res, next) => {
    const methods = new Set<string>();
    methodsAt((router as unknown as { stack: RouteLayer[] }).stack, req.path, methods);
    if (methods.size === 0 || methods.has(req.method.toLowerCase())) return next();
    if (methods.has('get')) methods.add('head');
    const allow = [...methods].map((m) => m.toUpperCase()).sort();
    res.set('Allow', allow.join(', '));
    next(new AppError(405, 'METHOD_NOT_ALLOWED', 'error.METHOD_NOT_ALLOWED', { allow: allow.join(', ') }));
  };
}

class RepeatedParameterError extends AppError {
  constructor(name: string) {
    super(400, 'BAD_REQUEST', 'error.BAD_REQUEST.repeated', { name }, { parameter: name });
  }
}

/**
 * A query parameter given twice (`?status=open&status=draft`) is 400 BAD_REQUEST: the routes read
 * one value each, and serving everything while a filter was dropped would mislead the caller.
 */
export const refuseRepeatedQuery: RequestHandler = (req, _res, next) => {
  const query = req.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) return next(new RepeatedParameterError(name));
  }
  next();
};
