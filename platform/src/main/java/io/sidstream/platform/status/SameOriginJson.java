package io.sidstream.platform.status;

import io.javalin.http.Context;
import java.net.URI;

/**
 * The check a write endpoint of the status page makes against cross-site request forgery: the body must be declared
 * {@code application/json} (which a cross-origin page cannot send without a CORS preflight), and a browser's
 * {@code Origin} or {@code Sec-Fetch-Site} headers, when present, must say the request comes from this page's own
 * origin. Scripts and curl send neither header and pass with the content type alone.
 */
final class SameOriginJson {

    private SameOriginJson() {}

    /** Why the request is refused, or null when it may write. */
    static String refusal(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType == null
                || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return "Content-Type must be application/json (got " + contentType + ")";
        }
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return "cross-site requests may not write (Sec-Fetch-Site: " + fetchSite + ")";
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(origin, ctx.header("Host"))) {
            return "requests from " + origin + " may not write: only this page's own origin may";
        }
        return null;
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            return host != null
                    && "http".equals(uri.getScheme())
                    && uri.getRawPath().isEmpty()
                    && host.equalsIgnoreCase(uri.getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
