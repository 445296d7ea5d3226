package io.runledger.server.http;

/** What the bundled web files (Observe, the API reference) are served as. */
public final class StaticFiles {
    private StaticFiles() {
    }

    /**
     * The content type of a bundled file, by its name; a kind of file the server does not
     * bundle is a build mistake, refused at once rather than served as something a browser
     * might guess at.
     */
    public static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".png")) {
            return "image/png";
        }
        throw new IllegalArgumentException("no content type for " + file);
    }
}
