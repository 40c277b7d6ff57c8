package dev.wgcp.http;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The errors the framework answers itself (a body that is not JSON or does not fit, an unknown path,
 * a wrong method or media type) in the shape of every wgcp API's own errors, {@code {"status", "error",
 * "message"}}, instead of Micronaut's HATEOAS document with parser internals in it; a 500 says
 * "internal error" and a reference that is in the log, never the exception's text.
 */
@Singleton
@Primary
public class PlainErrorResponses implements ErrorResponseProcessor<Map<String, Object>> {

    private static final Pattern SOURCE = Pattern.compile("\\s*at \\[Source: [^;]*; line: (\\d+), column: (\\d+)]", Pattern.DOTALL);

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Map<String, Object>> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Map<String, Object>>) response;
        }
        int status = response.code();
        if (status >= 500) {
            // Whatever the framework caught itself: its text stays in the log, under the reference the user gets.
            ErrorResponse e = InternalErrors.internalError(context.getRequest(), context.getRootCause().orElse(null)).body();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status);
            body.put("error", "internal_error");
            body.put("message", e.message());
            body.put("reference", e.reference());
            return ((MutableHttpResponse<Map<String, Object>>) response).body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        String message = context.getErrors().stream().map(Error::getMessage).map(PlainErrorResponses::readable)
                .collect(Collectors.joining("; "));
        if (message.isBlank()) {
            message = response.reason();
        }
        if (status == 400) {
            message = "the request cannot be read: " + message + "; expected a JSON body as the API documents (README, docs/operations.md)";
        } else if (status == 404) {
            message = "no such path: " + context.getRequest().getPath() + "; the README lists the API";
        } else if (status == 405) {
            message = context.getRequest().getMethod() + " is not allowed on " + context.getRequest().getPath() + "; the README lists the API";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", kind(status));
        body.put("message", message);
        return ((MutableHttpResponse<Map<String, Object>>) response).body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** A parser's message without its internals: the position kept, the source dump dropped. */
    static String readable(String message) {
        if (message == null) {
            return "";
        }
        String m = message.replaceFirst("^Failed to convert argument \\[\\w+] for value \\[[^]]*] due to: ", "");
        Matcher at = SOURCE.matcher(m);
        if (at.find()) {
            m = m.substring(0, at.start()).strip() + " (line " + at.group(1) + ", column " + at.group(2) + ")";
        }
        return m.strip();
    }

    static String kind(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "unavailable" : "error";
        };
    }
}
