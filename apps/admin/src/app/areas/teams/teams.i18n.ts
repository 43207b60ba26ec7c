import type { AreaTranslations } from '../../areas';

export const TEAMS_EN = {
  title: 'Teams',
  intro: 'Groups of users that own gateway keys together, with limits on all their keys at once.',
  loading: 'Loading teams…',
  loadFailed: 'The teams could not be loaded:',
  empty: 'No teams yet.',
  memberCount: '{{count}} members',
  fields: {
    name: 'Name',
    description: 'Description',
    members: 'Members',
    spend: 'Spend',
    actions: 'Actions',
  },
  hints: {
    members: 'Hold Ctrl (⌘ on a Mac) to pick several.',
    limits: 'Caps on all of the team’s keys together.',
  },
  members: {
    title: 'Members of {{name}}',
    none: 'This team has no members.',
    add: 'Add a member',
    addButton: 'Add',
    remove: 'Remove',
    removeLabel: 'Remove {{email}} from the team',
  },
  form: {
    createTitle: 'New team',
    editTitle: 'Edit {{name}}',
  },
  actions: {
    new: 'New team',
    create: 'Create team',
    save: 'Save',
    cancel: 'Cancel',
    close: 'Close',
    edit: 'Edit',
    members: 'Members',
    delete: 'Delete',
    refresh: 'Refresh',
  },
  delete: {
    title: 'Delete team {{name}}?',
    message: 'A team that still owns active gateway keys cannot be deleted: revoke them first.',
  },
};

export const TEAMS_ZH: typeof TEAMS_EN = {
  title: '团队',
  intro: '共同拥有网关密钥的用户组，可对其所有密钥统一设置限额。',
  loading: '正在加载团队…',
  loadFailed: '无法加载团队：',
  empty: '还没有团队。',
  memberCount: '{{count}} 名成员',
  fields: {
    name: '名称',
    description: '描述',
    members: '成员',
    spend: '花费',
    actions: '操作',
  },
  hints: {
    members: '按住 Ctrl（Mac 上为 ⌘）可多选。',
    limits: '对该团队所有密钥合计的限额。',
  },
  members: {
    title: '{{name}} 的成员',
    none: '该团队还没有成员。',
    add: '添加成员',
    addButton: '添加',
    remove: '移除',
    removeLabel: '将 {{email}} 移出团队',
  },
  form: {
    createTitle: '新建团队',
    editTitle: '编辑 {{name}}',
  },
  actions: {
    new: '新建团队',
    create: '创建团队',
    save: '保存',
    cancel: '取消',
    close: '关闭',
    edit: '编辑',
    members: '成员',
    delete: '删除',
    refresh: '刷新',
  },
  delete: {
    title: '删除团队 {{name}}？',
    message: '仍拥有有效网关密钥的团队无法删除，请先吊销这些密钥。',
  },
};

export const TEAMS_TRANSLATIONS: AreaTranslations = {
  en: { teams: TEAMS_EN },
  'zh-CN': { teams: TEAMS_ZH },
};
