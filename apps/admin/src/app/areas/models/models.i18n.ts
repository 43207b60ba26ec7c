import type { AreaTranslations } from '../../areas';

export const MODELS_EN = {
  title: 'Model prices',
  intro:
    'USD per million tokens, or per call, audio minute or million characters for what is not billed by tokens. Runtime prices (set here) come first, then the config file’s, then the built-in defaults — check those against what you pay.',
  loading: 'Loading prices…',
  loadFailed: 'The prices could not be loaded:',
  empty: 'No prices.',
  sameAsInput: 'as input',
  inactive: 'overridden',
  fields: {
    model: 'Model or glob',
    input: 'Input',
    output: 'Output',
    cachedInput: 'Cached input',
    perCall: 'Per call',
    perMinute: 'Per audio minute',
    perMillionCharacters: 'Per million characters',
    units: 'Not by tokens',
    source: 'Source',
    effectiveFrom: 'Since',
    createdBy: 'Set by',
    actions: 'Actions',
  },
  hints: {
    model: 'A model name or a glob with * (gpt-4o*); 1-200 characters.',
    price: 'USD per million tokens, 0 to 10,000.',
    cachedInput: 'Empty: the input price.',
    perCall: 'USD for each call an upstream accepts (per-request APIs). Empty: none.',
    perMinute:
      'USD per minute of audio: as the upstream reports it, else as the gateway measures it (whisper-1, gpt-4o-mini-tts). Empty: none.',
    perMillionCharacters: 'USD per million characters of text to speech (tts-1). Empty: none.',
  },
  units: {
    perCall: 'a call',
    perMinute: 'a minute',
    perMillionCharacters: 'a million characters',
  },
  sources: {
    runtime: 'Runtime',
    config: 'Config file',
    default: 'Built-in default',
  },
  history: {
    title: 'Price history of {{model}}',
    empty: 'No runtime price was ever set for this model.',
    deleted: 'Runtime price ended',
    loadFailed: 'The history could not be loaded:',
  },
  actions: {
    new: 'Set a price',
    refresh: 'Refresh',
    edit: 'Set price',
    delete: 'Delete override',
    history: 'History',
    cancel: 'Cancel',
    save: 'Save',
    close: 'Close',
  },
  form: {
    createTitle: 'Set a price',
    editTitle: 'Set the price of {{model}}',
    note: 'The price applies from now on every replica; calls already logged keep their cost.',
  },
  errors: {
    required: 'Required.',
    model: 'Use 1-200 characters without spaces.',
    number: 'Enter a number.',
    min: 'Enter 0 or more.',
    max: 'Enter at most 10,000.',
  },
  delete: {
    title: 'Delete the runtime price of {{model}}?',
    message: 'The config file’s or the built-in price applies again from now on.',
  },
};

export const MODELS_ZH: typeof MODELS_EN = {
  title: '模型价格',
  intro:
    '单位：美元 / 百万 token；不按 token 计费的，按每次调用、每分钟音频或每百万字符计。运行时价格（在此设置）优先，其次是配置文件中的价格，最后是内置默认价格——请核对实际支付的价格。',
  loading: '正在加载价格…',
  loadFailed: '无法加载价格：',
  empty: '没有价格。',
  sameAsInput: '同输入',
  inactive: '已被覆盖',
  fields: {
    model: '模型或通配符',
    input: '输入',
    output: '输出',
    cachedInput: '缓存输入',
    perCall: '每次调用',
    perMinute: '每分钟音频',
    perMillionCharacters: '每百万字符',
    units: '非 token 计费',
    source: '来源',
    effectiveFrom: '生效时间',
    createdBy: '设置人',
    actions: '操作',
  },
  hints: {
    model: '模型名称或带 * 的通配符（gpt-4o*）；1-200 个字符。',
    price: '美元 / 百万 token，0 到 10,000。',
    cachedInput: '留空：按输入价格计。',
    perCall: '上游接受的每次调用的美元价格（按请求计费的 API）。留空：无。',
    perMinute: '每分钟音频的美元价格：按上游报告的时长，否则按网关测得的时长（whisper-1、gpt-4o-mini-tts）。留空：无。',
    perMillionCharacters: '语音合成每百万字符的美元价格（tts-1）。留空：无。',
  },
  units: {
    perCall: '每次',
    perMinute: '每分钟',
    perMillionCharacters: '每百万字符',
  },
  sources: {
    runtime: '运行时',
    config: '配置文件',
    default: '内置默认',
  },
  history: {
    title: '{{model}} 的价格历史',
    empty: '此模型从未设置过运行时价格。',
    deleted: '运行时价格已结束',
    loadFailed: '无法加载历史：',
  },
  actions: {
    new: '设置价格',
    refresh: '刷新',
    edit: '设置价格',
    delete: '删除覆盖',
    history: '历史',
    cancel: '取消',
    save: '保存',
    close: '关闭',
  },
  form: {
    createTitle: '设置价格',
    editTitle: '设置 {{model}} 的价格',
    note: '价格从现在起在所有副本上生效；已记录的调用保留原费用。',
  },
  errors: {
    required: '必填。',
    model: '请使用 1-200 个字符，不含空格。',
    number: '请输入数字。',
    min: '请输入 0 或以上。',
    max: '最多 10,000。',
  },
  delete: {
    title: '删除 {{model}} 的运行时价格？',
    message: '从现在起重新使用配置文件或内置的价格。',
  },
};

export const MODELS_TRANSLATIONS: AreaTranslations = {
  en: { models: MODELS_EN },
  'zh-CN': { models: MODELS_ZH },
};
