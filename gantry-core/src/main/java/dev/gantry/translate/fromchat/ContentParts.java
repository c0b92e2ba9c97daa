package dev.gantry.translate.fromchat;

import dev.gantry.translate.TranslationJson;
import static dev.gantry.translate.fromchat.ChatMessages.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Chat content parts that carry media → Anthropic image and document blocks. */
final class ContentParts {
    private ContentParts() {}

    /** A {@code data:} URL cut into its media type and base64 payload. */
    record DataUrl(String mediaType, String base64) {
        /** Null when the URL is not a base64 data URL. Cut by hand: the payload may be megabytes long. */
        static DataUrl parse(String url) {
            if (!url.startsWith("data:")) return null;
            int comma = url.indexOf(',');
            if (comma < 0) return null;
            String header = url.substring("data:".length(), comma);
            if (!header.endsWith(";base64")) return null;
            int semicolon = header.indexOf(';');
            String mediaType = header.substring(0, semicolon);
            return new DataUrl(mediaType.isEmpty() ? "application/octet-stream" : mediaType, url.substring(comma + 1));
        }
    }

    /** {@code {type: image_url, image_url: {url}}}: a data URL becomes a base64 source, an http(s) URL a url source. */
    static ObjectNode image(JsonNode part, int i) {
        JsonNode imageUrl = part.get("image_url");
        String url = imageUrl == null ? null : imageUrl.isTextual() ? imageUrl.textValue() : TranslationJson.text(imageUrl.get("url"));
        if (url == null || url.isEmpty()) throw invalid("'messages[" + i + "]': an 'image_url' part needs an 'image_url.url'.");
        ObjectNode block = TranslationJson.object();
        block.put("type", "image");
        ObjectNode source = block.putObject("source");
        if (url.startsWith("data:")) {
            DataUrl data = DataUrl.parse(url);
            if (data == null) {
                throw invalid("'messages[" + i + "]': image data URLs must be base64-encoded ('data:image/png;base64,...').");
            }
            source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64());
        } else if (url.startsWith("http://") || url.startsWith("https://")) {
            source.put("type", "url").put("url", url);
        } else {
            throw invalid("'messages[" + i + "]': an image URL must be an http(s) URL or a base64 data URL.");
        }
        copyCacheControl(part, block);
        return block;
    }

    /**
     * {@code {type: file, file: {file_data, filename}}} with inline data → an Anthropic document block.
     * A {@code file_id} names a file uploaded to OpenAI, which this gateway cannot read.
     */
    static ObjectNode document(JsonNode part, int i) {
        JsonNode file = part.path("file");
        String fileData = TranslationJson.text(file.get("file_data"));
        if (fileData == null) {
            throw invalid("'messages[" + i + "]': file parts must carry their content in 'file.file_data'"
                    + " (uploaded file ids are not supported by this model).");
        }
        DataUrl data = DataUrl.parse(fileData);
        ObjectNode block = TranslationJson.object();
        block.put("type", "document");
        ObjectNode source = block.putObject("source");
        if (data != null) {
            source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64());
        } else {
            // OpenAI also takes bare base64 here; PDF is the one document type both sides share
            source.put("type", "base64").put("media_type", "application/pdf").put("data", fileData);
        }
        String filename = TranslationJson.text(file.get("filename"));
        if (filename != null && !filename.isEmpty()) block.put("title", filename);
        copyCacheControl(part, block);
        return block;
    }

    private static void copyCacheControl(JsonNode part, ObjectNode block) {
        JsonNode cacheControl = part.get("cache_control");
        if (cacheControl != null && cacheControl.isObject()) block.set("cache_control", cacheControl);
    }
}
