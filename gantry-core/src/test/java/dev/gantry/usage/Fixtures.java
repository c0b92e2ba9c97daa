package dev.gantry.usage;

import java.nio.charset.StandardCharsets;

/** Response bodies shaped like what OpenAI, Anthropic and the Responses API send. */
final class Fixtures {
    private Fixtures() {}

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static final String OPENAI_COMPLETION = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,\
            "prompt_tokens_details":{"cached_tokens":6,"audio_tokens":0},\
            "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}},"system_fingerprint":"fp_1"}""";

    static String openAiChunk(String content) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}],\"usage\":null}\n\n";
    }

    static String openAiStream(boolean withUsageChunk, String... contents) {
        var sse = new StringBuilder();
        for (String c : contents) sse.append(openAiChunk(c));
        sse.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        if (withUsageChunk) {
            sse.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n");
        }
        return sse.append("data: [DONE]\n\n").toString();
    }

    static final String ANTHROPIC_MESSAGE = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",\
            "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,\
            "usage":{"input_tokens":20,"cache_creation_input_tokens":100,"cache_read_input_tokens":300,\
            "cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0},\
            "output_tokens":7,"service_tier":"standard"}}""";

    static final String ANTHROPIC_STREAM_START = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],\
            "model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,\
            "cache_creation_input_tokens":0,"cache_read_input_tokens":10,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            """;

    static String anthropicDelta(String text) {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n";
    }

    static final String ANTHROPIC_STREAM_END = """
            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    static final String RESPONSES_API = """
            {"id":"resp_1","object":"response","status":"completed","model":"gpt-5",\
            "output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hi"}]}],\
            "usage":{"input_tokens":328,"input_tokens_details":{"cached_tokens":128},"output_tokens":52,\
            "output_tokens_details":{"reasoning_tokens":12},"total_tokens":380}}""";
}
