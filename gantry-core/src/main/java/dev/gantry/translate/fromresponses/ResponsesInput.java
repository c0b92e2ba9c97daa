package dev.gantry.translate.fromresponses;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responses {@code instructions} + {@code input} → Chat Completions {@code messages}.
 *
 * <p>Where the two differ: {@code instructions} and every system or developer message are joined
 * into one leading system message (open-weight models' chat templates often accept a system
 * message only in first place); a run of {@code function_call} items (and the assistant text just
 * before it) becomes one assistant message with {@code tool_calls}, as a Chat client would have
 * sent it; call outputs become {@code role: tool} messages, and images inside them, which Chat tool
 * messages cannot hold, follow the run of tool messages in a user message; custom and local-shell
 * calls are function calls on the Chat side. Reasoning items (Codex sends back the ones it was
 * given, whose summary is the upstream's own reasoning text) go back as {@code reasoning_content} on
 * the assistant message that called tools after them, which DeepSeek's thinking mode requires
 * within a tool-use loop and Qwen3, Kimi and GLM templates use; elsewhere they are dropped.
 */
final class ResponsesInput {
    private static final Logger LOG = LoggerFactory.getLogger(ResponsesInput.class);

    private final List<String> system = new ArrayList<>();
    private final List<ObjectNode> messages = new ArrayList<>();
    /** Image parts from call outputs, waiting for the run of tool messages to end. */
    private final ArrayNode pendingImages = TranslationJson.array();
    /** The text of the reasoning items since the last message, for the assistant message after them. */
    private final StringBuilder pendingReasoning = new StringBuilder();

    private ResponsesInput() {}

    static ArrayNode toMessages(JsonNode instructions, JsonNode input) {
        ResponsesInput converter = new ResponsesInput();
        converter.instructions(instructions);
        if (input != null && input.isTextual()) {
            converter.messages.add(TranslationJson.object().put("role", "user").put("content", input.textValue()));
        } else if (input != null && input.isArray()) {
            for (int i = 0; i < input.size(); i++) converter.item(input.get(i), i);
        } else if (input != null && !input.isNull()) {
            throw invalid("'input' must be a string or an array of input items.");
        }
        converter.flushImages();
        for (ObjectNode message : converter.messages) {
            if (!message.has("tool_calls")) message.remove("reasoning_content"); // wanted only within tool-use loops
        }
        ArrayNode out = TranslationJson.array();
        if (!converter.system.isEmpty()) out.addObject().put("role", "system").put("content", String.join("\n\n", converter.system));
        converter.messages.forEach(out::add);
        if (converter.messages.isEmpty()) throw invalid("Missing required parameter: 'input'.");
        return out;
    }

    private void instructions(JsonNode instructions) {
        if (instructions == null || instructions.isNull()) return;
        if (instructions.isTextual()) {
            if (!instructions.textValue().isEmpty()) system.add(instructions.textValue());
        } else if (instructions.isArray()) {
            for (JsonNode item : instructions) {
                String text = text(item.get("content"));
                if (!text.isEmpty()) system.add(text);
            }
        }
    }

    private void item(JsonNode item, int i) {
        if (!item.isObject()) throw invalid("'input[" + i + "]' must be an object.");
        String type = TranslationJson.text(item.get("type"));
        if (type == null && item.has("role")) type = "message"; // the easy input message form
        if (type == null) throw invalid("'input[" + i + "]' has no 'type'.");
        switch (type) {
            case "message" -> message(item, i);
            case "function_call" -> call(item, i, TranslationJson.text(item.get("name")), arguments(item.get("arguments")));
            case "custom_tool_call" -> {
                ObjectNode args = TranslationJson.object();
                args.put("input", TranslationJson.text(item.get("input")) == null ? "" : item.get("input").textValue());
                call(item, i, TranslationJson.text(item.get("name")), TranslationJson.write(args));
            }
            case "local_shell_call" -> call(item, i, ToolKind.LOCAL_SHELL_NAME, TranslationJson.write(OutputItems.shellArguments(item.path("action"))));
            case "function_call_output", "custom_tool_call_output", "local_shell_call_output" -> output(item, i);
            case "reasoning" -> reasoning(item);
            case "item_reference" -> throw invalid("'input[" + i + "]': item references need stored responses, which this gateway"
                    + " does not keep: send the items themselves.");
            default -> LOG.debug("dropping an input item of type '{}' (input[{}]): no Chat Completions counterpart", type, i);
        }
    }

    private void message(JsonNode item, int i) {
        String role = TranslationJson.text(item.get("role"));
        JsonNode content = item.get("content");
        flushImages();
        switch (role == null ? "" : role) {
            case "system", "developer" -> {
                String text = text(content);
                if (!text.isEmpty()) system.add(text);
            }
            case "user" -> {
                pendingReasoning.setLength(0);
                messages.add(TranslationJson.object().put("role", "user").set("content", userContent(content, i)));
            }
            case "assistant" -> {
                String text = text(content);
                if (!text.isEmpty()) messages.add(attachReasoning(TranslationJson.object().put("role", "assistant").put("content", text)));
            }
            default -> throw invalid("Invalid value for 'input[" + i + "].role': '" + role
                    + "'. Supported values are: 'user', 'assistant', 'system' and 'developer'.");
        }
    }

    /** A call joins the assistant message just before it (its text, or the calls before it), as Chat clients send them. */
    private void call(JsonNode item, int i, String name, String arguments) {
        String callId = TranslationJson.text(item.get("call_id"));
        if (callId == null || name == null) throw invalid("'input[" + i + "]' needs a 'call_id' and a 'name'.");
        flushImages();
        ObjectNode target = messages.isEmpty() ? null : messages.getLast();
        if (target == null || !"assistant".equals(TranslationJson.text(target.get("role")))) {
            target = TranslationJson.object().put("role", "assistant").putNull("content");
            messages.add(target);
        }
        attachReasoning(target);
        ArrayNode toolCalls = target.has("tool_calls") ? (ArrayNode) target.get("tool_calls") : target.putArray("tool_calls");
        ObjectNode call = toolCalls.addObject();
        call.put("id", callId);
        call.put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
    }

    private void output(JsonNode item, int i) {
        String callId = TranslationJson.text(item.get("call_id"));
        if (callId == null) callId = TranslationJson.text(item.get("id")); // local_shell_call_output names its call by id
        if (callId == null) throw invalid("'input[" + i + "].call_id' is required.");
        JsonNode output = item.get("output");
        String text;
        if (output != null && output.isArray()) {
            List<String> texts = new ArrayList<>();
            for (JsonNode part : output) {
                String partType = String.valueOf(TranslationJson.text(part.get("type")));
                if (partType.equals("input_image")) pendingImages.add(imagePart(part, i));
                else if (TranslationJson.text(part.get("text")) != null) texts.add(part.get("text").textValue());
                else LOG.debug("dropping a '{}' part of a call output (input[{}])", partType, i);
            }
            text = String.join("\n", texts);
        } else if (output != null && output.isTextual()) {
            text = output.textValue();
        } else {
            text = output == null || output.isNull() ? "" : TranslationJson.write(output);
        }
        messages.add(TranslationJson.object().put("role", "tool").put("tool_call_id", callId).put("content", text));
    }

    private void reasoning(JsonNode item) {
        List<String> texts = new ArrayList<>();
        for (String field : List.of("summary", "content")) { // summary_text parts, else reasoning_text parts
            for (JsonNode part : item.path(field)) {
                String text = TranslationJson.text(part.get("text"));
                if (text != null && !text.isEmpty()) texts.add(text);
            }
            if (!texts.isEmpty()) break;
        }
        if (texts.isEmpty()) return;
        if (!pendingReasoning.isEmpty()) pendingReasoning.append("\n\n");
        pendingReasoning.append(String.join("\n\n", texts));
    }

    /** The reasoning since the last message, on this assistant message (unless it has some already). */
    private ObjectNode attachReasoning(ObjectNode assistant) {
        if (!pendingReasoning.isEmpty() && !assistant.has("reasoning_content")) {
            assistant.put("reasoning_content", pendingReasoning.toString());
        }
        pendingReasoning.setLength(0);
        return assistant;
    }

    private void flushImages() {
        if (pendingImages.isEmpty()) return;
        ArrayNode content = TranslationJson.array();
        content.addObject().put("type", "text").put("text", "Images returned by the tool calls above:");
        content.addAll(pendingImages);
        messages.add(TranslationJson.object().put("role", "user").set("content", content));
        pendingImages.removeAll();
    }

    /** A user message's content: a string when it is only text (what every Chat server takes), else parts. */
    private static JsonNode userContent(JsonNode content, int i) {
        if (content == null || content.isNull()) return TranslationJson.MAPPER.getNodeFactory().textNode("");
        if (content.isTextual()) return content;
        if (!content.isArray()) throw invalid("'input[" + i + "].content' must be a string or an array of content parts.");
        ArrayNode parts = TranslationJson.array();
        boolean onlyText = true;
        for (JsonNode part : content) {
            String type = String.valueOf(TranslationJson.text(part.get("type")));
            switch (type) {
                case "input_text", "output_text", "text" -> parts.addObject().put("type", "text")
                        .put("text", TranslationJson.text(part.get("text")) == null ? "" : part.get("text").textValue());
                case "input_image" -> {
                    parts.add(imagePart(part, i));
                    onlyText = false;
                }
                case "input_file" -> {
                    parts.add(filePart(part, i));
                    onlyText = false;
                }
                default -> throw invalid("Invalid content part type '" + type + "' in 'input[" + i
                        + "].content'. Supported types are: 'input_text', 'input_image' and 'input_file'.");
            }
        }
        if (!onlyText) return parts;
        List<String> texts = new ArrayList<>();
        parts.forEach(p -> texts.add(p.get("text").textValue()));
        return TranslationJson.MAPPER.getNodeFactory().textNode(String.join("\n", texts));
    }

    private static ObjectNode imagePart(JsonNode part, int i) {
        String url = TranslationJson.text(part.get("image_url"));
        if (url == null || url.isEmpty()) {
            throw invalid("'input[" + i + "]': images must be given by 'image_url' (an http(s) or data URL); file ids"
                    + " name files uploaded to OpenAI, which this gateway cannot read.");
        }
        ObjectNode out = TranslationJson.object().put("type", "image_url");
        ObjectNode imageUrl = out.putObject("image_url").put("url", url);
        String detail = TranslationJson.text(part.get("detail"));
        if (detail != null) imageUrl.put("detail", detail);
        return out;
    }

    private static ObjectNode filePart(JsonNode part, int i) {
        String data = TranslationJson.text(part.get("file_data"));
        if (data == null) {
            throw invalid("'input[" + i + "]': files must be given inline in 'file_data'; file ids and file URLs are"
                    + " not supported by this gateway.");
        }
        ObjectNode out = TranslationJson.object().put("type", "file");
        ObjectNode file = out.putObject("file").put("file_data", data);
        String filename = TranslationJson.text(part.get("filename"));
        if (filename != null) file.put("filename", filename);
        return out;
    }

    /** The text of a content that is a string or a list of text parts (input_text, output_text, refusal). */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.textValue();
        List<String> texts = new ArrayList<>();
        if (content.isArray()) {
            for (JsonNode part : content) {
                String text = TranslationJson.text(part.get("text"));
                if (text == null) text = TranslationJson.text(part.get("refusal"));
                if (text != null && !text.isEmpty()) texts.add(text);
            }
        }
        return String.join("\n", texts);
    }

    private static String arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) return "{}";
        return arguments.isTextual() ? arguments.textValue() : TranslationJson.write(arguments);
    }

    static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, message);
    }
}
