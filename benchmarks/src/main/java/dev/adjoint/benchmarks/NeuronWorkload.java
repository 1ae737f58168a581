package dev.adjoint.benchmarks;

import java.nio.file.Path;
import org.apache.commons.math3.analysis.differentiation.DSCompiler;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/** W1: σ(a·x + b·y + c), five scalars, gradient with respect to all five. */
public final class NeuronWorkload {
  final double a = 0.4;
  final double b = -0.7;
  final double c = 0.1;
  final double x = 1.3;
  final double y = 0.6;

  /** The hand-written, DerivativeStructure and finite-difference variants write here. */
  final double[] handGradient = new double[5];
  final double[] dsGradient = new double[5];
  final double[] fdGradient = new double[5];
  final WorkloadsGrad.NeuronGradient into = new WorkloadsGrad.NeuronGradient();
  private final int[] dsIndex = new int[5];

  public NeuronWorkload() {
    DSCompiler compiler = DSCompiler.getCompiler(5, 1);
    for (int p = 0; p < 5; p++) {
      int[] orders = new int[5];
      orders[p] = 1;
      dsIndex[p] = compiler.getPartialDerivativeIndex(orders);
    }
  }

  public double primal() {
    return Workloads.neuron(a, b, c, x, y);
  }

  public WorkloadsGrad.NeuronGradient generated() {
    return WorkloadsGrad.neuron(a, b, c, x, y);
  }

  public double generatedInto() {
    return WorkloadsGrad.neuron(a, b, c, x, y, into);
  }

  /** σ' = σ(1 − σ). */
  public double handWritten() {
    double z = a * x + b * y + c;
    double s = 1 / (1 + Math.exp(-z));
    double ds = s * (1 - s);
    double[] g = handGradient;
    g[0] = ds * x;
    g[1] = ds * y;
    g[2] = ds;
    g[3] = ds * a;
    g[4] = ds * b;
    return s;
  }

  /** Commons Math forward mode: five independent variables, order 1. */
  public double derivativeStructure() {
    DerivativeStructure da = new DerivativeStructure(5, 1, 0, a);
    DerivativeStructure db = new DerivativeStructure(5, 1, 1, b);
    DerivativeStructure dc = new DerivativeStructure(5, 1, 2, c);
    DerivativeStructure dx = new DerivativeStructure(5, 1, 3, x);
    DerivativeStructure dy = new DerivativeStructure(5, 1, 4, y);
    DerivativeStructure z = da.multiply(dx).add(db.multiply(dy)).add(dc);
    DerivativeStructure s = z.negate().exp().add(1).reciprocal();
    double[] all = s.getAllDerivatives();
    for (int p = 0; p < 5; p++) {
      dsGradient[p] = all[dsIndex[p]];
    }
    return all[0];
  }

  /** Central differences: 2 evaluations per parameter plus one for the value. */
  public double finiteDifferences() {
    double[] p = {a, b, c, x, y};
    for (int i = 0; i < 5; i++) {
      double saved = p[i];
      double h = 6e-6 * Math.max(1, Math.abs(saved));
      p[i] = saved + h;
      double up = Workloads.neuron(p[0], p[1], p[2], p[3], p[4]);
      p[i] = saved - h;
      double down = Workloads.neuron(p[0], p[1], p[2], p[3], p[4]);
      p[i] = saved;
      fdGradient[i] = (up - down) / (2 * h);
    }
    return Workloads.neuron(p[0], p[1], p[2], p[3], p[4]);
  }

  private static double[] partials(WorkloadsGrad.NeuronGradient g) {
    return new double[] {g.a(), g.b(), g.c(), g.x(), g.y()};
  }

  /** Every variant against the hand-written gradient, which is checked against differences. */
  public void check() {
    String w = "W1";
    double value = handWritten();
    double[] reference = handGradient.clone();
    double[] p = {a, b, c, x, y};
    Check.referenceAgainstDifferences(
        w + " hand-written", p, reference, v -> Workloads.neuron(p[0], p[1], p[2], p[3], p[4]), 5);
    Check.value(w + " primal", value, primal());
    WorkloadsGrad.NeuronGradient g = generated();
    Check.value(w + " generated", value, g.value());
    Check.exact(w + " generated gradient", reference, partials(g));
    Check.value(w + " generated into", value, generatedInto());
    Check.exact(w + " generated into gradient", reference, partials(into));
    Check.value(w + " DerivativeStructure", value, derivativeStructure());
    Check.exact(w + " DerivativeStructure gradient", reference, dsGradient);
    Check.value(w + " finite differences", value, finiteDifferences());
    Check.close(w + " finite differences gradient", reference, fdGradient, Check.FD_RTOL, Check.FD_ATOL);
  }

  void export(Path root) {
    handWritten();
    new Export(root, "W1")
        .scalar("a", a).scalar("b", b).scalar("c", c).scalar("x", x).scalar("y", y)
        .scalar("value", handWritten())
        .vector("grad", handGradient.clone());
  }
}
