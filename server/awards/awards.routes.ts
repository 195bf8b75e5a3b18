import { Router } from 'express';
import type { AppContext } from '../context';

// Placeholder: this concept's routes are built by its own issue.
export function awardsApi(_ctx: AppContext): Router {
  return Router();
}
