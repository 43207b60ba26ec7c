import type { AlertMessage } from './notifier';

const LABEL: Record<AlertMessage['event'], string> = {
  firing: 'FIRING',
  repeat: 'STILL FIRING',
  resolved: 'RESOLVED',
  test: 'TEST',
};

/** `[FIRING] high-error-rate`: the subject line and chat title. */
export function alertTitle(message: AlertMessage): string {
  return `[${LABEL[message.event]}] ${message.ruleName}`;
}

/** The lines under the title, in plain text. */
export function alertLines(message: AlertMessage): string[] {
  return [
    message.summary,
    `Scope: ${message.scope}`,
    ...(message.kind ? [`Rule kind: ${message.kind}`] : []),
    `At: ${message.at.toISOString()}`,
  ];
}

export function alertPlainText(message: AlertMessage): string {
  return [alertTitle(message), ...alertLines(message)].join('\n');
}

/** Markdown for DingTalk and WeCom (a bold title, one line per fact). */
export function alertMarkdown(message: AlertMessage): string {
  return [`**${alertTitle(message)}**`, '', ...alertLines(message).map((line) => `> ${line}`)].join('\n');
}
