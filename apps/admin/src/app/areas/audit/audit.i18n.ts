import type { AreaTranslations } from '../../areas';

export const AUDIT_EN = {
  title: 'Audit log',
  intro: 'Who did or tried what, from where, and how it ended; newest first. Secrets are never recorded.',
  filters: 'Filters',
  loading: 'Loading events…',
  loadFailed: 'The audit log could not be loaded:',
  empty: 'No events match these filters.',
  any: 'Any',
  fields: {
    since: 'From',
    until: 'To',
    actor: 'Actor',
    action: 'Action',
    subject: 'Subject',
    outcome: 'Outcome',
    limit: 'Events per page',
    at: 'Time',
    ip: 'IP address',
    detail: 'Detail',
    requestId: 'Request id',
  },
  hints: {
    action: 'Exact, or a prefix ending in * (Mutation.*, auth.*).',
    actorId: 'Account id',
  },
  outcome: {
    succeeded: 'Succeeded',
    failed: 'Failed',
    denied: 'Denied',
  },
  errors: {
    action: 'Letters, digits, dots and dashes, optionally ending in *.',
    range: 'The end of the range must be after its start.',
  },
  detail: {
    title: 'Event detail',
    changes: 'Changes',
    redacted: 'Passwords, tokens and keys were redacted by the gateway before recording.',
    noChanges: 'This event records no changes.',
  },
  actions: {
    search: 'Search',
    more: 'Older events',
    detail: 'Details',
    close: 'Close',
  },
};

export const AUDIT_ZH: typeof AUDIT_EN = {
  title: '审计日志',
  intro: '谁在何处做了或尝试了什么，结果如何；最新的在前。密钥和密码从不记录。',
  filters: '筛选条件',
  loading: '正在加载事件…',
  loadFailed: '无法加载审计日志：',
  empty: '没有符合条件的事件。',
  any: '全部',
  fields: {
    since: '开始时间',
    until: '结束时间',
    actor: '操作者',
    action: '操作',
    subject: '对象',
    outcome: '结果',
    limit: '每页事件数',
    at: '时间',
    ip: 'IP 地址',
    detail: '详情',
    requestId: '请求 ID',
  },
  hints: {
    action: '精确匹配，或以 * 结尾的前缀（Mutation.*、auth.*）。',
    actorId: '账号 ID',
  },
  outcome: {
    succeeded: '成功',
    failed: '失败',
    denied: '被拒绝',
  },
  errors: {
    action: '只能包含字母、数字、点和短横线，可以 * 结尾。',
    range: '结束时间必须晚于开始时间。',
  },
  detail: {
    title: '事件详情',
    changes: '变更内容',
    redacted: '密码、令牌和密钥已由网关在记录前脱敏。',
    noChanges: '此事件没有记录变更内容。',
  },
  actions: {
    search: '查询',
    more: '更早的事件',
    detail: '详情',
    close: '关闭',
  },
};

export const AUDIT_TRANSLATIONS: AreaTranslations = {
  en: { audit: AUDIT_EN },
  'zh-CN': { audit: AUDIT_ZH },
};
