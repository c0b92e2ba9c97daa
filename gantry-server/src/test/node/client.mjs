// One call of an official SDK against Gantry, for SdkEndToEndTest.
// Usage: node client.mjs '{"protocol":"chat|messages|responses","baseUrl":"http://127.0.0.1:PORT",
//                          "key":"sk-gantry-...","model":"...","stream":true,"tools":true}'
// Prints one JSON line: what the SDK made of the answer (text, tool calls, stop reason, usage and,
// for streams, the event types), or the error the SDK raised (status, type, message).
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const args = JSON.parse(process.argv[2]);
const question = 'What is the weather in Paris?';
const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

async function chat() {
  const client = new OpenAI({ apiKey: args.key, baseURL: args.baseUrl + '/v1', maxRetries: 0 });
  const params = {
    model: args.model,
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: question }],
    ...(args.tools && { tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: weatherSchema } }] }),
  };
  if (!args.stream) {
    const c = await client.chat.completions.create(params);
    const m = c.choices[0].message;
    return { text: m.content ?? '', toolCalls: (m.tool_calls ?? []).map(t => ({ name: t.function.name, arguments: JSON.parse(t.function.arguments) })),
             stopReason: c.choices[0].finish_reason, usage: c.usage, model: c.model };
  }
  const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
  let text = '', stopReason = null, usage = null, chunks = 0, model = null;
  const calls = [];
  for await (const chunk of stream) {
    chunks++;
    model = chunk.model;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      text += choice.delta?.content ?? '';
      for (const tc of choice.delta?.tool_calls ?? []) {
        calls[tc.index] ??= { name: '', arguments: '' };
        if (tc.function?.name) calls[tc.index].name += tc.function.name;
        calls[tc.index].arguments += tc.function?.arguments ?? '';
      }
      if (choice.finish_reason) stopReason = choice.finish_reason;
    }
  }
  return { text, toolCalls: calls.map(c => ({ name: c.name, arguments: JSON.parse(c.arguments) })), stopReason, usage, chunks, model };
}

async function messages() {
  const client = new Anthropic({ apiKey: args.key, baseURL: args.baseUrl, maxRetries: 0 });
  const params = {
    model: args.model, max_tokens: 256, system: 'Be brief.',
    messages: [{ role: 'user', content: question }],
    ...(args.tools && { tools: [{ name: 'get_weather', description: 'Weather of a city', input_schema: weatherSchema }] }),
  };
  let message, events;
  if (args.stream) {
    // the SDK's MessageStream checks the event sequence and assembles the message from it
    const stream = client.messages.stream(params);
    events = [];
    stream.on('streamEvent', e => events.push(e.type));
    message = await stream.finalMessage();
  } else {
    message = await client.messages.create(params);
  }
  return { text: message.content.filter(b => b.type === 'text').map(b => b.text).join(''),
           toolCalls: message.content.filter(b => b.type === 'tool_use').map(b => ({ name: b.name, arguments: b.input })),
           stopReason: message.stop_reason, usage: message.usage, events, model: message.model };
}

async function responses() {
  const client = new OpenAI({ apiKey: args.key, baseURL: args.baseUrl + '/v1', maxRetries: 0 });
  const params = {
    model: args.model, instructions: 'Be brief.', input: question,
    ...(args.tools && { tools: [{ type: 'function', name: 'get_weather', description: 'Weather of a city', parameters: weatherSchema, strict: false }] }),
  };
  let response, events;
  if (args.stream) {
    const stream = client.responses.stream(params);
    events = [];
    for await (const event of stream) events.push(event.type);
    response = await stream.finalResponse();
  } else {
    response = await client.responses.create(params);
  }
  return { text: response.output_text ?? '',
           toolCalls: response.output.filter(o => o.type === 'function_call').map(o => ({ name: o.name, arguments: JSON.parse(o.arguments) })),
           stopReason: response.status, usage: response.usage, events, model: response.model };
}

try {
  const result = await { chat, messages, responses }[args.protocol]();
  console.log(JSON.stringify({ ok: true, ...result }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, errorClass: e.constructor?.name, status: e.status ?? null,
                               type: e.error?.type ?? e.error?.error?.type ?? null, message: String(e.message) }));
}
