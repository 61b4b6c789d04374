#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx kaca` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/cli.ts');
