package dev.adjoint.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * One example's loss and gradient through a generated {@code into}-form method: a gradient object
 * made once per task and reused for every example of its partition.
 *
 * <pre>{@code
 * ExampleLoss<Sample, Coefficients, LogLossGradient> loss = ExampleLoss.of(
 *     LogLossGradient::new,                                            // once per task
 *     (sample, c, into) -> LossesGrad.logLoss(c, sample.x(), sample.y(), into),
 *     LogLossGradient::c);                                             // the partials of c
 * }</pre>
 *
 * @param <E> the example type (Serializable, as Spark ships examples)
 * @param <P> the parameters' type: {@code double[]}, {@code Matrix} or a record
 * @param <G> the generated gradient class
 */
public interface ExampleLoss<E, P, G> extends Serializable {
  /** A new gradient object; called once per task. */
  G newGradient();

  /** The example's loss at {@code parameters}, its gradient written into {@code into}. */
  double evaluate(E example, P parameters, G into);

  /** The partials of the parameters held by {@code into}, of the parameters' kind and shape. */
  P partials(G into);

  /** A serializable factory, as a method reference such as {@code LogLossGradient::new}. */
  interface GradientFactory<G> extends Supplier<G>, Serializable {}

  /** A serializable call of a generated {@code into}-form method. */
  @FunctionalInterface
  interface Evaluation<E, P, G> extends Serializable {
    double evaluate(E example, P parameters, G into);
  }

  /** A serializable accessor of the parameters' partials. */
  @FunctionalInterface
  interface Partials<G, P> extends Serializable {
    P of(G into);
  }

  /** The loss made of three lambdas or method references. */
  static <E, P, G> ExampleLoss<E, P, G> of(
      GradientFactory<G> factory, Evaluation<E, P, G> evaluation, Partials<G, P> partials) {
    return new ExampleLoss<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public G newGradient() {
        return factory.get();
      }

      @Override
      public double evaluate(E example, P parameters, G into) {
        return evaluation.evaluate(example, parameters, into);
      }

      @Override
      public P partials(G into) {
        return partials.of(into);
      }
    };
  }
}
