package io.lrnn.bench.claims;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writes an experiment's section of {@code docs/results.md}: the text between
 * {@code <!-- begin:NAME -->} and {@code <!-- end:NAME -->} is replaced, the rest of the file is
 * left as it was, and the file is replaced atomically (written beside it, then moved). Also the
 * small formatting helpers the experiments share: markdown tables, numbers, the machine note.
 */
final class ClaimsReport {

    private ClaimsReport() {
    }

    /** The path given after {@code --results}, or {@code docs/results.md} in the working folder. */
    static Path resultsPath(String[] args) {
        String value = option(args, "--results");
        return Path.of(value != null ? value : "docs/results.md");
    }

    /** The value after {@code name} in {@code args}, or null when it is absent. */
    static String option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    /** The command that reproduces a run: {@code bench/claims.sh NAME} and the arguments other than --results. */
    static String command(String name, String[] args) {
        StringBuilder out = new StringBuilder("bench/claims.sh " + name);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--results")) {
                i++;
            } else if (!args[i].isBlank()) {
                out.append(' ').append(args[i]);
            }
        }
        return out.toString();
    }

    /** Whether the flag {@code name} is among {@code args}. */
    static boolean flag(String[] args, String name) {
        return List.of(args).contains(name);
    }

    /**
     * Replaces the text between the markers of section {@code name} in {@code file} by
     * {@code body}; fails naming the marker when one is missing or they are out of order.
     */
    static void replaceSection(Path file, String name, String body) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String begin = "<!-- begin:" + name + " -->";
        String end = "<!-- end:" + name + " -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(file + ": expected the markers " + begin + " ... " + end + " but found "
                    + (from < 0 ? "no begin marker" : to < 0 ? "no end marker" : "the end marker first"));
        }
        String updated = text.substring(0, from + begin.length()) + "\n" + body.strip() + "\n"
                + text.substring(to);
        Path temporary = file.resolveSibling(file.getFileName() + "." + name + ".tmp");
        Files.writeString(temporary, updated, StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A markdown table; the first row is the header, cells are used as given. */
    static String table(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                out.append("|").append("---|".repeat(rows.get(0).size())).append("\n");
            }
        }
        return out.toString();
    }

    /** Three significant digits; scientific notation outside [1e-3, 1e5). */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        double magnitude = Math.abs(value);
        if (value == 0 || magnitude >= 1e-3 && magnitude < 1e5) {
            return String.format(Locale.ROOT, "%.3g", value).replaceAll("(\\.\\d*?)0+$", "$1")
                    .replaceAll("\\.$", "");
        }
        return String.format(Locale.ROOT, "%.2e", value);
    }

    /** "mean [min, max]" of {@code values}. */
    static String spread(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return number(mean(values)) + " [" + number(min) + ", " + number(max) + "]";
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Cores, CPU model, Java version, date and load average: where and when the figures were taken. */
    static String machine() {
        String cpu = "unknown CPU";
        String load = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
            load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            // Not Linux: the note just says less.
        }
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), " + cpu + ", Java "
                + System.getProperty("java.version") + "; run "
                + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))
                + ", load average " + load + " at the end.";
    }
}
