/** Team roles, strongest first (SPEC §4). */
export const teamRoles = ["owner", "admin", "member"] as const;
export type TeamRole = (typeof teamRoles)[number];

export const plans = ["starter", "professional", "enterprise"] as const;
export type Plan = (typeof plans)[number];

export const availabilities = ["available", "away", "offline"] as const;
export type Availability = (typeof availabilities)[number];

export const inboxRoles = ["agent", "admin"] as const;
export type InboxRole = (typeof inboxRoles)[number];

export const assignmentTypes = ["round_robin", "least_busy", "manual"] as const;
export type AssignmentType = (typeof assignmentTypes)[number];

export const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof weekdays)[number];
