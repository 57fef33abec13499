import { WAKE_JOB } from "../modules/conversations/update-conversation.js";
import { wakeSnoozed } from "../modules/conversations/wake-snoozed.js";
import { sendAutoResponse } from "../modules/automation/auto-response.js";
import { AUTO_RESPONSE_JOB } from "../modules/automation/new-conversation.js";
import { DELETE_FILES_JOB, deleteStoredFiles } from "../modules/attachments/forget-files.js";
import { HOUSEKEEPING_JOB, housekeepingJob } from "./housekeeping.js";
import type { JobHandler } from "./worker.js";

/** Every kind of job and the function that runs it. */
export const jobHandlers: Record<string, JobHandler> = {
  [HOUSEKEEPING_JOB]: (context) => housekeepingJob(context),
  [DELETE_FILES_JOB]: (context, job) => deleteStoredFiles(context, job.payload),
  [AUTO_RESPONSE_JOB]: async (context, job) => {
    const conversationId = job.payload.conversationId;
    if (typeof conversationId !== "string" || job.teamId === null) {
      throw new Error("conversation.auto_response needs a team and a conversationId");
    }
    await sendAutoResponse(context, job.teamId, conversationId);
  },
  [WAKE_JOB]: async (context, job) => {
    const conversationId = job.payload.conversationId;
    if (typeof conversationId !== "string" || job.teamId === null) {
      throw new Error("conversation.wake needs a team and a conversationId");
    }
    await wakeSnoozed(context, job.teamId, conversationId);
  },
};
