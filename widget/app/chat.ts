import { storagePrefix, type Command, type FrameToHost, type PageInfo, type WidgetEventName } from "../shared/bridge.js";
import { ApiError, WidgetApi, describeError } from "./api.js";
import { Outbox } from "./outbox.js";
import { chime } from "./sound.js";
import { VisitorSocket, type SentMessage } from "./socket.js";
import { readItem, writeItem } from "./storage.js";
import { Store } from "./store.js";
import { type ChatMessage, chronological, conversationStub, newest, orderMessages, upsertConversation } from "./timeline.js";
import type { InboxInfo, ServerFrame, SessionReply, VisitorConversation, VisitorInfo, VisitorMessage } from "./types.js";

export interface ChatState {
  phase: "starting" | "ready" | "unavailable";
  /** Why the chat cannot be used (phase unavailable), or why it is still connecting. */
  problem: string | null;
  open: boolean;
  mobile: boolean;
  inbox: InboxInfo | null;
  visitor: VisitorInfo | null;
  /** As the server lists them: newest activity first. */
  conversations: VisitorConversation[];
  messages: ChatMessage[];
  /** Team replies not seen yet: the bubble's badge. */
  unread: number;
  typing: { conversationId: string; name: string } | null;
  online: boolean;
  csat: { conversationId: string; stage: "ask" | "sending" | "thanks"; error: string | null } | null;
  preChatDone: boolean;
}

/** How many recent conversations the widget shows (the newest one is the current one). */
const SHOWN_CONVERSATIONS = 3;
const TYPING_REPEAT_MS = 4000;
const TYPING_IDLE_MS = 3000;
const AGENT_TYPING_TIMEOUT_MS = 8000;

/**
 * Everything the chat does, apart from drawing it: the visitor's session and token, the live feed, the
 * message timeline, unread state, typing both ways, read receipts, the CSAT prompt and the host page's calls.
 */
export class ChatController {
  readonly store = new Store<ChatState>({
    phase: "starting",
    problem: null,
    open: false,
    mobile: false,
    inbox: null,
    visitor: null,
    conversations: [],
    messages: [],
    unread: 0,
    typing: null,
    online: false,
    csat: null,
    preChatDone: false,
  });
  readonly api: WidgetApi;
  readonly outbox: Outbox;
  private socket: VisitorSocket | undefined;
  private page: PageInfo = {};
  private generation = 0;
  private typingSentAt = 0;
  private typingIdle: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private readTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly base: URL,
    private readonly websiteToken: string,
    private readonly toHost: (message: FrameToHost) => void,
  ) {
    this.api = new WidgetApi(base);
    this.outbox = new Outbox(this);
    document.addEventListener("visibilitychange", () => this.markSeenSoon());
  }

  get state(): ChatState {
    return this.store.state;
  }

  private key(name: string): string {
    return `${storagePrefix(this.websiteToken)}${name}`;
  }

  emit(name: WidgetEventName, data?: unknown): void {
    this.toHost({ parley: 1, type: "event", name, data });
  }

  /** Opens the visitor's session (continuing the stored one) and the live feed. */
  async start(page: PageInfo, retry = 0): Promise<void> {
    this.page = page;
    const generation = ++this.generation;
    let reply: SessionReply;
    try {
      reply = await this.api.session({
        websiteToken: this.websiteToken,
        visitorToken: readItem(this.key("token")),
        ...(page.url ? { page } : {}),
        language: navigator.language.slice(0, 35),
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone.slice(0, 64),
      });
    } catch (error) {
      if (generation !== this.generation) {
        return;
      }
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== "rate_limited") {
        this.store.set({ phase: "unavailable", problem: "Chat is not available on this page right now." });
        this.emit("error", { code: error.code, message: error.message });
        return;
      }
      this.store.set({ problem: describeError(error) });
      setTimeout(() => void this.start(page, retry + 1), Math.min(30_000, 2000 * 2 ** retry));
      return;
    }
    if (generation !== this.generation) {
      return;
    }
    writeItem(this.key("token"), reply.visitorToken);
    this.api.token = reply.visitorToken;
    this.store.set({
      phase: "ready",
      problem: null,
      inbox: reply.inbox,
      visitor: reply.visitor,
      conversations: reply.conversations,
      unread: reply.conversations.reduce((sum, conversation) => sum + conversation.unreadCount, 0),
      preChatDone: readItem(this.key("prechat")) === "done",
    });
    await this.reload(generation);
    this.connect(reply.visitorToken);
    this.emit("ready", { open: this.state.open });
  }

  /** Sends a message on the live socket; undefined when it is not connected. */
  sendOnSocket(body: { content: string; attachmentIds?: string[]; conversationId?: string }): Promise<SentMessage> | undefined {
    return this.socket?.sendMessage(body);
  }

  private connect(token: string): void {
    this.socket?.stop();
    const url = new URL("api/widget/realtime", this.base);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    this.socket = new VisitorSocket(url.href, token, {
      frame: (frame, { resumed }) => this.onFrame(frame, resumed),
      status: (online) => this.store.set({ online }),
      unauthorized: () => {
        writeItem(this.key("token"), undefined);
        void this.start(this.page);
      },
    });
  }

  /** Reads the recent conversations and their messages again (at start, after a resync, after identify). */
  async reload(generation = this.generation): Promise<void> {
    try {
      const { conversations } = await this.api.conversations();
      const shown = chronological(conversations).slice(-SHOWN_CONVERSATIONS);
      const pages = await Promise.all(shown.map((conversation) => this.api.messages(conversation.id)));
      if (generation !== this.generation) {
        return;
      }
      const loaded = pages.flatMap((page) => page.messages);
      const known = new Set(loaded.map((message) => message.id));
      const shownIds = new Set(shown.map((conversation) => conversation.id));
      // Keep what is being sent, and live messages that arrived after the server read its lists.
      const kept = this.state.messages.filter((message) => message.local || (!known.has(message.id) && shownIds.has(message.conversationId)));
      this.store.set({ conversations, messages: orderMessages([...loaded, ...kept], conversations), unread: this.state.open ? this.state.unread : conversations.reduce((sum, c) => sum + c.unreadCount, 0) });
      this.refreshCsat();
      this.markSeenSoon();
    } catch (error) {
      console.warn("[Parley] could not load the conversation", error);
    }
  }

  private onFrame(frame: ServerFrame, resumed: boolean): void {
    if (frame.type === "resync" || (frame.type === "hello" && !resumed)) {
      // A first connection may have missed what happened since the session was read; a resync is told so.
      void this.reload();
    } else if (frame.type === "event" && frame.name === "message.created") {
      this.receive(frame.data.message);
    } else if (frame.type === "event" && frame.name === "conversation.updated") {
      const { id, status } = frame.data.conversation;
      const current = this.state.conversations.find((conversation) => conversation.id === id) ?? conversationStub(id, new Date().toISOString());
      const closed = status === "closed";
      const csat = { requested: closed && Boolean(this.state.inbox?.csat) && current.csat.rating === null, rating: current.csat.rating };
      this.store.set({ conversations: upsertConversation(this.state.conversations, { ...current, status, csat }) });
      this.refreshCsat();
    } else if (frame.type === "signal") {
      clearTimeout(this.agentTypingTimer);
      if (frame.name === "typing.started") {
        this.store.set({ typing: { conversationId: frame.data.conversationId, name: frame.data.agent.name ?? this.state.inbox?.name ?? "Support" } });
        this.agentTypingTimer = setTimeout(() => this.store.set({ typing: null }), AGENT_TYPING_TIMEOUT_MS);
      } else {
        this.store.set({ typing: null });
      }
    } else if (frame.type === "error") {
      console.warn("[Parley] realtime:", frame.code, frame.message);
    }
  }

  /** A message from the live feed: the team's reply, or the visitor's own (from another tab). */
  private receive(message: VisitorMessage): void {
    const { messages, conversations } = this.state;
    if (messages.some((existing) => existing.id === message.id)) {
      return;
    }
    // Our own message whose POST has not answered yet: the answer will put it in place.
    if (message.fromVisitor && messages.some((existing) => existing.local?.status === "sending" && existing.content === message.content)) {
      return;
    }
    let nextConversations = conversations;
    let conversation = conversations.find((existing) => existing.id === message.conversationId);
    if (!conversation) {
      conversation = conversationStub(message.conversationId, message.createdAt);
      setTimeout(() => void this.reload(), 300);
    }
    if (!message.fromVisitor) {
      conversation = { ...conversation, unreadCount: conversation.unreadCount + 1 };
    }
    nextConversations = upsertConversation(nextConversations, conversation);
    const patch: Partial<ChatState> = { conversations: nextConversations, messages: orderMessages([...messages, message], nextConversations) };
    if (!message.fromVisitor) {
      clearTimeout(this.agentTypingTimer);
      patch.typing = null;
      if (!this.seeing()) {
        patch.unread = this.state.unread + 1;
      }
      if (!this.state.open) {
        chime();
      }
      this.emit("message", { id: message.id, conversationId: message.conversationId, content: message.content, author: { name: message.author.name }, attachments: message.attachments.length });
    }
    this.store.set(patch);
    this.refreshCsat();
    this.markSeenSoon();
  }

  /** Puts a message the visitor sent (or is sending) in the timeline. */
  place(message: ChatMessage, replacing?: string, conversation?: VisitorConversation): void {
    const conversations = conversation ? upsertConversation(this.state.conversations, conversation) : this.state.conversations;
    const others = this.state.messages.filter((existing) => existing.id !== replacing && existing.id !== message.id);
    this.store.set({ conversations, messages: orderMessages([...others, message], conversations) });
    if (conversation) {
      this.refreshCsat();
    }
  }

  /** The open conversation new messages continue (none: the server starts one). */
  currentConversationId(): string | undefined {
    const latest = newest(this.state.conversations);
    return latest?.status === "open" && !latest.id.startsWith("local") ? latest.id : undefined;
  }

  private seeing(): boolean {
    return this.state.open && document.visibilityState === "visible";
  }

  /** Read receipts: tells the server the visitor has seen the team's replies, while the chat is open and visible. */
  markSeenSoon(): void {
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => this.markSeen(), 250);
  }

  /** Clears the badge and tells the server, when the visitor can see the chat. */
  private markSeen(): void {
    clearTimeout(this.readTimer);
    if (!this.seeing() || this.state.phase !== "ready") {
      return;
    }
    const unread = this.state.conversations.filter((conversation) => conversation.unreadCount > 0);
    if (unread.length > 0) {
      this.store.set({ conversations: this.state.conversations.map((conversation) => ({ ...conversation, unreadCount: 0 })) });
    }
    if (this.state.unread !== 0) {
      this.store.set({ unread: 0 });
    }
    for (const conversation of unread) {
      this.api.markRead(conversation.id).catch((error: unknown) => console.warn("[Parley] could not mark as read", error));
    }
  }

  setOpen(open: boolean): void {
    if (open === this.state.open) {
      return;
    }
    this.toHost({ parley: 1, type: "layout", open });
    this.store.set({ open });
    this.emit(open ? "open" : "close");
    if (open) {
      // Opening shows every message at once: the badge goes now, even if the chat is closed again quickly.
      this.markSeen();
    } else {
      this.stopTyping();
    }
  }

  setMobile(mobile: boolean): void {
    this.store.set({ mobile });
  }

  /** The visitor typed in the composer: typing.started now and then, typing.stopped after a pause. */
  typing(): void {
    const conversationId = this.currentConversationId();
    if (!conversationId || !this.socket) {
      return;
    }
    const now = Date.now();
    if (now - this.typingSentAt > TYPING_REPEAT_MS) {
      this.typingSentAt = now;
      this.socket.send({ type: "typing", conversationId, state: "started" });
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping(): void {
    clearTimeout(this.typingIdle);
    const conversationId = this.currentConversationId();
    if (this.typingSentAt !== 0 && conversationId) {
      this.socket?.send({ type: "typing", conversationId, state: "stopped" });
    }
    this.typingSentAt = 0;
  }

  /** Shows the rating prompt for the newest conversation once it is closed, unless answered or dismissed. */
  refreshCsat(): void {
    const { inbox, conversations, csat } = this.state;
    const latest = newest(conversations);
    if (csat?.stage === "thanks" && csat.conversationId === latest?.id) {
      return;
    }
    const done = (readItem(this.key("csat")) ?? "").split(",");
    const ask = inbox?.csat && latest && latest.status === "closed" && latest.csat.requested && latest.csat.rating === null && !done.includes(latest.id);
    if (!ask) {
      if (csat) {
        this.store.set({ csat: null });
      }
      return;
    }
    if (csat?.conversationId !== latest.id) {
      this.store.set({ csat: { conversationId: latest.id, stage: "ask", error: null } });
    }
  }

  private csatDone(conversationId: string): void {
    const done = (readItem(this.key("csat")) ?? "").split(",").filter(Boolean).slice(-19);
    writeItem(this.key("csat"), [...done, conversationId].join(","));
  }

  async rate(rating: number, comment: string): Promise<void> {
    const csat = this.state.csat;
    if (!csat || csat.stage === "sending") {
      return;
    }
    this.store.set({ csat: { ...csat, stage: "sending", error: null } });
    try {
      const { conversation } = await this.api.rate(csat.conversationId, rating, comment.trim() || undefined);
      this.store.set({ conversations: upsertConversation(this.state.conversations, conversation) });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "already_rated")) {
        this.store.set({ csat: { ...csat, stage: "ask", error: describeError(error) } });
        return;
      }
    }
    this.csatDone(csat.conversationId);
    this.store.set({ csat: { ...csat, stage: "thanks", error: null } });
  }

  dismissCsat(): void {
    if (this.state.csat) {
      this.csatDone(this.state.csat.conversationId);
      this.store.set({ csat: null });
    }
  }

  /** The pre-chat form: saves what the visitor gave (throws ApiError, e.g. 409 email_taken). */
  async submitPreChat(details: { name?: string; email?: string }): Promise<void> {
    if (details.name !== undefined || details.email !== undefined) {
      const { visitor } = await this.api.profile(details);
      this.store.set({ visitor });
    }
    writeItem(this.key("prechat"), "done");
    this.store.set({ preChatDone: true });
  }

  /** A `window.Parley` call from the host page. */
  async command(command: Command): Promise<void> {
    if (command.name === "open" || command.name === "close" || command.name === "toggle") {
      this.setOpen(command.name === "toggle" ? !this.state.open : command.name === "open");
      return;
    }
    if (command.name === "reset") {
      await this.reset();
      return;
    }
    try {
      if (command.name === "setUser") {
        const { name, email, phone, hash } = command.details;
        const { visitor } = await this.api.identify({ userId: command.userId, ...clean({ name, email, phone, hash }) });
        this.store.set({ visitor });
        await this.reload();
      } else if (command.name === "setAttributes") {
        await this.api.profile({ attributes: command.attributes });
      } else {
        await this.api.profile({ tags: command.tags });
      }
    } catch (error) {
      const code = error instanceof ApiError ? error.code : "internal_error";
      const message = `${command.name}: ${error instanceof Error ? error.message : String(error)}`;
      console.error("[Parley]", message);
      this.emit("error", { code, message, command: command.name });
    }
  }

  /** Forgets the visitor (e.g. when the site's user logs out) and starts a fresh anonymous session. */
  async reset(): Promise<void> {
    this.socket?.stop();
    this.socket = undefined;
    for (const name of ["token", "csat", "prechat"]) {
      writeItem(this.key(name), undefined);
    }
    this.api.token = undefined;
    this.store.set({ phase: "starting", visitor: null, conversations: [], messages: [], unread: 0, typing: null, csat: null, preChatDone: false, online: false });
    await this.start(this.page);
  }

  /** The host page moved (single-page-app navigation). */
  pageChanged(page: PageInfo): void {
    this.page = { ...this.page, ...page };
    if (this.state.phase === "ready" && page.url) {
      this.api.page({ url: page.url, ...(page.title !== undefined ? { title: page.title } : {}) }).catch((error: unknown) => console.warn("[Parley] could not report the page", error));
    }
  }
}

function clean<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined && entry !== "")) as Partial<T>;
}
