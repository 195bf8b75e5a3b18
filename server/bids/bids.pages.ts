import { Router } from 'express';
import type { AppContext } from '../context';

// Placeholder: this concept's pages are built by its own issue.
export function bidsPages(_ctx: AppContext): Router {
  return Router();
}
