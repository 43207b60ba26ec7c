import type { AreaTranslations } from '../../areas';

export const SETTINGS_EN = {
  title: 'Sign-in settings',
  note: 'These settings are read-only here: they are set in the gateway’s environment and config file, and documented in the files named below. Restart the gateway after changing them.',
  loading: 'Loading sign-in methods…',
  loadFailed: 'The sign-in methods could not be read:',
  on: 'On',
  off: 'Off',
  methods: {
    title: 'Sign-in methods',
    password: 'Email and password',
    oidc: 'Single sign-on (OpenID Connect)',
    oidcOn: 'On, through {{name}}',
    oidcOff: 'Not configured (set OIDC_ISSUER and OIDC_CLIENT_ID)',
  },
  table: {
    title: 'Sessions, passwords and single sign-on',
    setting: 'Setting',
    default: 'Default',
    where: 'Set by',
    docs: 'Documentation',
  },
  items: {
    accessToken: 'Access token lifetime (fixed)',
    refreshToken: 'Refresh token lifetime (fixed)',
    sessionMaxAge: 'A session ends this long after sign-in',
    passwordPolicy: 'Password length (characters)',
    lockout: 'Lockout after failed sign-ins (per account, per address)',
    oidc: 'OpenID Connect provider and client',
    oidcRoles: 'Roles from the provider’s claims',
    oidcAccounts: 'New accounts and linking existing ones',
  },
};

export const SETTINGS_ZH: typeof SETTINGS_EN = {
  title: '登录设置',
  note: '这些设置在此处只读：它们在网关的环境变量和配置文件中设置，说明见下方列出的文档文件。修改后请重启网关。',
  loading: '正在读取登录方式…',
  loadFailed: '无法读取登录方式：',
  on: '已启用',
  off: '未启用',
  methods: {
    title: '登录方式',
    password: '邮箱和密码',
    oidc: '单点登录（OpenID Connect）',
    oidcOn: '已启用，通过 {{name}}',
    oidcOff: '未配置（请设置 OIDC_ISSUER 和 OIDC_CLIENT_ID）',
  },
  table: {
    title: '会话、密码与单点登录',
    setting: '设置项',
    default: '默认值',
    where: '设置方式',
    docs: '文档',
  },
  items: {
    accessToken: '访问令牌有效期（固定）',
    refreshToken: '刷新令牌有效期（固定）',
    sessionMaxAge: '会话自登录起的最长时间',
    passwordPolicy: '密码长度（字符）',
    lockout: '登录失败锁定（按账号、按地址）',
    oidc: 'OpenID Connect 身份提供方与客户端',
    oidcRoles: '根据身份提供方声明分配角色',
    oidcAccounts: '新建账号与关联已有账号',
  },
};

export const SETTINGS_TRANSLATIONS: AreaTranslations = {
  en: { settings: SETTINGS_EN },
  'zh-CN': { settings: SETTINGS_ZH },
};
