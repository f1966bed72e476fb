// Every staff action that changes or reveals something states why; the reason goes to the audit trail.
import { z } from 'zod';

export const reasonField = z.string().trim().min(4, 'console.reason_required').max(200, 'console.reason_required');
