import { z } from "zod";
import { plans } from "./enums.js";
import { email, text } from "./common.js";

export const password = z.string().min(8, "must be at least 8 characters").max(200);

export const signupBody = z.strictObject({
  teamName: text(1, 100),
  name: text(1, 100),
  email,
  password,
  plan: z.enum(plans).optional(),
});

export const signinBody = z.strictObject({
  email: z.string().trim().min(1).max(254).transform((value) => value.toLowerCase()),
  password: z.string().min(1).max(200),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: password,
});

export const acceptInviteBody = z.strictObject({
  password,
  name: text(1, 100).optional(),
});
