import { z } from 'zod';
import { Role } from './common.ts';

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const Me = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  provinceCode: z.string(),
  units: z.array(z.object({ code: z.string(), name: z.string() })).describe('The units an official works in; empty for city-wide roles'),
  residentId: z.number().nullable().describe("A citizen's own registry record"),
});
export type Me = z.infer<typeof Me>;

export const LoginResponse = z.object({
  user: Me,
  csrfToken: z.string().describe('Send as the x-csrf-token header on every later write'),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const SessionResponse = LoginResponse;
