package dev.coldspy.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The outcome of a verification: the cold starts of the baseline and of the current code (the same count, the
 * same events in the same order, cold start by cold start), compared call by call and timed part by part.
 */
public final class Verification {
  /** A timed part of a cold start, as the JSON names it. */
  enum Part {
    INIT("initMs", "init", MeasuredColdStart::initMs),
    FIRST_INVOCATION("firstInvocationMs", "first invocation", MeasuredColdStart::firstInvocationMs),
    COLD_START("coldStartMs", "cold start", MeasuredColdStart::coldStartMs);

    final String key;
    final String label;
    final ToDoubleFunction<MeasuredColdStart> measure;

    Part(String key, String label, ToDoubleFunction<MeasuredColdStart> measure) {
      this.key = key;
      this.label = label;
      this.measure = measure;
    }
  }

  /**
   * A call whose outcome differs: the first such call of its event.
   *
   * @param coldStart 1-based
   * @param call 1-based position of the call in its cold start
   */
  public record Difference(String event, int coldStart, int call, JsonNode before, JsonNode after) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HandlerSpec baseline;
  private final HandlerSpec current;
  private final ColdStartRunner.Interpreter interpreter;
  private final List<String> events;
  private final int coldStarts;
  private final Map<Part, double[]> medians = new LinkedHashMap<>();
  private final Map<Part, RatioEstimate> ratios = new LinkedHashMap<>();
  private final List<Difference> differences;

  Verification(HandlerSpec baseline, HandlerSpec current, ColdStartRunner.Interpreter interpreter, List<String> events,
      List<MeasuredColdStart> before, List<MeasuredColdStart> after) {
    this.baseline = baseline;
    this.current = current;
    this.interpreter = interpreter;
    this.events = List.copyOf(events);
    this.coldStarts = before.size();
    for (Part part : Part.values()) {
      double[] beforeValues = before.stream().mapToDouble(part.measure).toArray();
      double[] afterValues = after.stream().mapToDouble(part.measure).toArray();
      medians.put(part, new double[] {RatioEstimate.median(beforeValues), RatioEstimate.median(afterValues)});
      ratios.put(part, RatioEstimate.of(beforeValues, afterValues));
    }
    this.differences = differences(before, after);
  }

  private static List<Difference> differences(List<MeasuredColdStart> before, List<MeasuredColdStart> after) {
    Map<String, Difference> firstByEvent = new LinkedHashMap<>();
    for (int start = 0; start < before.size(); start++) {
      List<MeasuredColdStart.Invocation> calls = before.get(start).invocations();
      List<MeasuredColdStart.Invocation> otherCalls = after.get(start).invocations();
      for (int call = 0; call < calls.size(); call++) {
        MeasuredColdStart.Invocation was = calls.get(call);
        MeasuredColdStart.Invocation is = otherCalls.get(call);
        if (!was.sameOutcome(is)) {
          firstByEvent.putIfAbsent(was.event(),
              new Difference(was.event(), start + 1, call + 1, was.outcome(), is.outcome()));
        }
      }
    }
    return List.copyOf(firstByEvent.values());
  }

  public boolean outputsIdentical() {
    return differences.isEmpty();
  }

  public List<Difference> differences() {
    return differences;
  }

  /** The median of {@code part} before (baseline) and after (current), in ms. */
  double before(Part part) {
    return medians.get(part)[0];
  }

  double after(Part part) {
    return medians.get(part)[1];
  }

  RatioEstimate ratio(Part part) {
    return ratios.get(part);
  }

  /** {@code faster}, {@code slower} or {@code no significant change}, judged on the whole cold start. */
  public String verdict() {
    RatioEstimate coldStart = ratio(Part.COLD_START);
    if (!coldStart.significant()) {
      return "no significant change";
    }
    return coldStart.ratio() < 1 ? "faster" : "slower";
  }

  /** The JSON that {@code --format json} prints and that is stored. */
  public ObjectNode toJson() {
    ObjectNode json = JSON.createObjectNode();
    json.put("handler", current.name());
    json.put("baseline", baseline.appDir().toString());
    json.put("current", current.appDir().toString());
    json.put("python", interpreter.version());
    json.put("cacheTag", interpreter.cacheTag());
    json.put("bytecode", "existing bytecode used, none written (PYTHONDONTWRITEBYTECODE=1)");
    json.put("coldStarts", coldStarts);
    events.forEach(json.putArray("events")::add);
    json.put("outputsIdentical", outputsIdentical());
    ObjectNode before = json.putObject("before");
    ObjectNode after = json.putObject("after");
    ObjectNode parts = JSON.createObjectNode();
    for (Part part : Part.values()) {
      before.put(part.key, round(before(part), 1000));
      after.put(part.key, round(after(part), 1000));
      RatioEstimate ratio = ratio(part);
      ObjectNode estimate = parts.putObject(part.key);
      putRatio(estimate, "ratio", ratio.ratio());
      putRatio(estimate, "low", ratio.low());
      putRatio(estimate, "high", ratio.high());
      estimate.put("significant", ratio.significant());
    }
    RatioEstimate coldStart = ratio(Part.COLD_START);
    putRatio(json, "ratio", coldStart.ratio());
    ObjectNode band = json.putObject("noiseBand");
    putRatio(band, "low", coldStart.low());
    putRatio(band, "high", coldStart.high());
    band.put("method", "distribution-free 95 % confidence interval of the median of the paired ratios"
        + " (at least " + RatioEstimate.MINIMUM_PAIRS + " cold starts)");
    json.put("significant", coldStart.significant());
    json.put("verdict", verdict());
    json.put("summary", summary());
    json.set("ratios", parts);
    var list = json.putArray("differences");
    for (Difference difference : differences) {
      ObjectNode entry = list.addObject();
      entry.put("event", difference.event());
      entry.put("coldStart", difference.coldStart());
      entry.put("call", difference.call());
      entry.set("before", difference.before());
      entry.set("after", difference.after());
    }
    return json;
  }

  /** The human-readable report: a table of medians, the verdict, the differences. */
  public String toText() {
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "%s: %d cold starts of the baseline and of the current code (interleaved),"
            + " %d event%s each, Python %s; existing bytecode used, none written%n",
        current.name(), coldStarts, events.size(), events.size() == 1 ? "" : "s", interpreter.version()));
    text.append(String.format(Locale.ROOT, "%-18s %12s %12s %8s  %s%n", "median", "baseline", "current", "ratio",
        "noise band (95 %)"));
    for (Part part : Part.values()) {
      RatioEstimate ratio = ratio(part);
      text.append(String.format(Locale.ROOT, "%-18s %9.1f ms %9.1f ms %8s  %s–%s%n", part.label, before(part),
          after(part), ratio(ratio.ratio()), ratio(ratio.low()), ratio(ratio.high())));
    }
    text.append(summary()).append(System.lineSeparator());
    for (Difference difference : differences) {
      text.append(String.format(Locale.ROOT, "  %s (cold start %d, call %d): baseline %s; current %s%n",
          difference.event(), difference.coldStart(), difference.call(), describe(difference.before()),
          describe(difference.after())));
    }
    return text.toString();
  }

  /** One line: {@code verified: −457.0 ms per cold start (−62 %), outputs identical}, or what went otherwise. */
  public String summary() {
    double before = before(Part.COLD_START);
    double change = after(Part.COLD_START) - before;
    String amount = String.format(Locale.ROOT, "%s%.1f ms per cold start (%s%.0f %%)", change < 0 ? "−" : "+",
        Math.abs(change), change < 0 ? "−" : "+", before > 0 ? Math.abs(change) / before * 100 : 0.0);
    RatioEstimate coldStart = ratio(Part.COLD_START);
    String timing = switch (verdict()) {
      case "faster" -> "verified: " + amount;
      case "slower" -> "slower: " + amount;
      default -> "no significant change: " + amount + (!coldStart.hasBand()
          ? "; too few cold starts to tell it from noise (" + RatioEstimate.MINIMUM_PAIRS + " or more needed)"
          : coldStart.beyondBand()
              ? String.format(Locale.ROOT, ", under the %.0f %% two identical copies can differ by",
                  RatioEstimate.MINIMUM_CHANGE * 100)
              : ", within the noise band " + ratio(coldStart.low()) + "–" + ratio(coldStart.high()));
    };
    String outputs = outputsIdentical() ? "outputs identical"
        : "outputs differ on " + differences.size() + " event" + (differences.size() == 1 ? "" : "s");
    return timing + ", " + outputs;
  }

  private static String describe(JsonNode outcome) {
    String text;
    if (outcome.has("exception")) {
      JsonNode exception = outcome.get("exception");
      text = "raised " + exception.path("type").asText() + ": " + exception.path("message").asText();
    } else if (outcome.has("returnRepr")) {
      text = "returned " + outcome.get("returnRepr").asText();
    } else {
      text = "returned " + outcome.path("return");
    }
    return text.length() > 200 ? text.substring(0, 199) + "…" : text;
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static void putRatio(ObjectNode json, String field, double value) {
    if (Double.isNaN(value)) {
      json.putNull(field);
    } else {
      json.put(field, round(value, 10000));
    }
  }

  private static double round(double value, double scale) {
    return Math.round(value * scale) / scale;
  }
}
