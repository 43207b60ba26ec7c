import type { AreaTranslations } from '../../areas';

export const USERS_EN = {
  title: 'Users',
  loading: 'Loading users…',
  loadFailed: 'The users could not be loaded:',
  empty: 'No users to show.',
  fields: {
    email: 'Email',
    name: 'Name',
    role: 'Role',
    password: 'Password',
    signIn: 'Sign-in',
    teams: 'Teams',
    spend: 'Spend',
    actions: 'Actions',
  },
  hints: {
    role: 'You may only give a role you hold at least.',
    password: 'At least 12 characters. Empty: the account signs in only through single sign-on.',
    limits: 'Caps on all of the user’s keys together.',
  },
  signIn: {
    password: 'Password',
    sso: 'Single sign-on only',
  },
  errors: {
    required: 'Required.',
    email: 'Enter an email address.',
    passwordShort: 'At least {{min}} characters.',
    tooLong: 'Too long.',
  },
  form: {
    createTitle: 'New user',
    editTitle: 'Edit {{email}}',
  },
  actions: {
    new: 'New user',
    create: 'Create user',
    save: 'Save',
    cancel: 'Cancel',
    edit: 'Edit',
    delete: 'Delete',
    refresh: 'Refresh',
  },
  delete: {
    title: 'Delete {{email}}?',
    message: 'Its sessions end, its gateway keys are revoked and it leaves its teams. This cannot be undone.',
  },
};

export const USERS_ZH: typeof USERS_EN = {
  title: '用户',
  loading: '正在加载用户…',
  loadFailed: '无法加载用户：',
  empty: '没有可显示的用户。',
  fields: {
    email: '邮箱',
    name: '姓名',
    role: '角色',
    password: '密码',
    signIn: '登录方式',
    teams: '团队',
    spend: '花费',
    actions: '操作',
  },
  hints: {
    role: '只能授予不超过您自身权限的角色。',
    password: '至少 12 个字符。留空：该账号只能通过单点登录（SSO）登录。',
    limits: '对该用户所有密钥合计的限额。',
  },
  signIn: {
    password: '密码',
    sso: '仅单点登录',
  },
  errors: {
    required: '必填。',
    email: '请输入有效的邮箱地址。',
    passwordShort: '至少 {{min}} 个字符。',
    tooLong: '内容过长。',
  },
  form: {
    createTitle: '新建用户',
    editTitle: '编辑 {{email}}',
  },
  actions: {
    new: '新建用户',
    create: '创建用户',
    save: '保存',
    cancel: '取消',
    edit: '编辑',
    delete: '删除',
    refresh: '刷新',
  },
  delete: {
    title: '删除 {{email}}？',
    message: '该账号的会话将结束，其网关密钥将被吊销，并退出所有团队。此操作无法撤销。',
  },
};

export const USERS_TRANSLATIONS: AreaTranslations = {
  en: { users: USERS_EN },
  'zh-CN': { users: USERS_ZH },
};
