import { Router } from 'express';
import { openApiDocument } from './openapi';

export function openApiRoutes(): Router {
  const r = Router();
  r.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.json(openApiDocument());
  });
  return r;
}
