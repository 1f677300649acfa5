package dev.coldspy.engine;

/**
 * What a change saves of the cold start a user waits for — init plus the first invocation — averaged over
 * the profiled cold starts. Removing an import saves its cost in init; deferring it into the functions that
 * use it saves its cost in init too, but the cold starts that use it pay it again in their first invocation.
 *
 * @param initUs init time saved per cold start
 * @param firstInvocationUs time added to the first invocation, averaged over all cold starts (the cost times
 *     the fraction of cold starts that use the statement)
 */
public record Estimate(double initUs, double firstInvocationUs) {
  /** Nothing saved, nothing moved. */
  public static final Estimate NONE = new Estimate(0, 0);

  /** Removing (or replacing, or never running) what costs {@code costUs}: init saves it, nothing moves. */
  public static Estimate removing(double costUs) {
    return new Estimate(costUs, 0);
  }

  /**
   * Deferring a statement that costs {@code costUs} into the functions that use it: init saves the cost; the
   * cold starts that use it pay it in their first invocation. Without usage evidence every cold start is
   * assumed to use it, so deferring saves nothing for sure.
   */
  public static Estimate deferring(double costUs, UsageEvidence usage) {
    double usedFraction = usage.known() && usage.coldStarts() > 0 ? usage.usedFraction() : 1;
    return new Estimate(costUs, costUs * usedFraction);
  }

  /** What the cold start a user waits for gains: init saved minus what moves into the first invocation. */
  public double netUs() {
    return initUs - firstInvocationUs;
  }

  /** This estimate plus {@code other} (the saving of several fixes). */
  public Estimate plus(Estimate other) {
    return new Estimate(initUs + other.initUs, firstInvocationUs + other.firstInvocationUs);
  }

  /** "init −1200.0 ms, first invocation +90.0 ms". */
  public String split() {
    return "init −" + Units.ms(initUs) + ", first invocation +" + Units.ms(firstInvocationUs);
  }

  /** "init −1200.0 ms, first invocation +90.0 ms, cold start −1110.0 ms". */
  public String parts() {
    return split() + ", cold start " + (netUs() >= 0 ? "−" : "+") + Units.ms(Math.abs(netUs()));
  }
}
