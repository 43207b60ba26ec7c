import { DIFY_FILE_LIMIT } from './dify-files';

const MB = 1024 * 1024;

/**
 * `GET /parameters` of a gateway-backed app: no opening statement or moderation; two optional
 * inputs, `system` (the system prompt) and `query` (the prompt of completion and workflow calls);
 * images by URL or upload.
 */
export function difyParameters(): object {
  return {
    opening_statement: '',
    suggested_questions: [],
    suggested_questions_after_answer: { enabled: false },
    speech_to_text: { enabled: false },
    text_to_speech: { enabled: false, voice: '', language: '', autoPlay: 'disabled' },
    retriever_resource: { enabled: false },
    annotation_reply: { enabled: false },
    more_like_this: { enabled: false },
    sensitive_word_avoidance: { enabled: false },
    user_input_form: [
      { paragraph: { label: 'System prompt', variable: 'system', required: false, default: '' } },
      { paragraph: { label: 'Prompt', variable: 'query', required: false, default: '' } },
    ],
    file_upload: {
      image: { enabled: true, number_limits: 4, detail: 'high', transfer_methods: ['remote_url', 'local_file'] },
    },
    system_parameters: {
      file_size_limit: DIFY_FILE_LIMIT / MB,
      image_file_size_limit: DIFY_FILE_LIMIT / MB,
      audio_file_size_limit: 0,
      video_file_size_limit: 0,
      workflow_file_upload_limit: 0,
    },
  };
}

/** `GET /info`: the app is the key's Dify model. */
export function difyInfo(model: string): object {
  return {
    name: model,
    description: `SynapseHub gateway: Dify app API served by the model route '${model}'.`,
    tags: [],
    mode: 'chat',
    author_name: 'SynapseHub',
  };
}

/** `GET /meta`: the gateway's apps have no tools. */
export function difyMeta(): object {
  return { tool_icons: {} };
}
