package dev.adjoint.benchmarks;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.commons.math3.analysis.differentiation.DSCompiler;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * W2: Rosenbrock, Σ_{i<n-1} 100(x[i+1] − x[i]²)² + (1 − x[i])², and W6, the same written with a
 * {@code @Differentiable} helper per term.
 */
public final class RosenbrockWorkload {
  final int n;
  final double[] x;
  final double[] handGradient;
  final double[] dsGradient;
  final double[] fdGradient;
  private final double[] fdPoint;
  private final int[] dsIndex;
  final WorkloadsGrad.RosenbrockGradient into = new WorkloadsGrad.RosenbrockGradient();
  final WorkloadsGrad.RosenbrockCallsGradient callsInto = new WorkloadsGrad.RosenbrockCallsGradient();

  public RosenbrockWorkload(int n) {
    this.n = n;
    this.x = Data.uniform(new SplittableRandom(2), n, -1.5, 1.5);
    this.handGradient = new double[n];
    this.dsGradient = new double[n];
    this.fdGradient = new double[n];
    this.fdPoint = x.clone();
    this.dsIndex = new int[n];
  }

  public double primal() {
    return Workloads.rosenbrock(x);
  }

  public WorkloadsGrad.RosenbrockGradient generated() {
    return WorkloadsGrad.rosenbrock(x);
  }

  public double generatedInto() {
    return WorkloadsGrad.rosenbrock(x, into);
  }

  /** W6's primal: the loop calling the helper. */
  public double callsPrimal() {
    return Workloads.rosenbrockCalls(x);
  }

  public WorkloadsGrad.RosenbrockCallsGradient callsGenerated() {
    return WorkloadsGrad.rosenbrockCalls(x);
  }

  public double callsGeneratedInto() {
    return WorkloadsGrad.rosenbrockCalls(x, callsInto);
  }

  /** One fused loop: each term adds its two partials as it is computed. */
  public double handWritten() {
    double[] g = handGradient;
    double sum = 0;
    double carry = 0;
    for (int i = 0; i < n - 1; i++) {
      double xi = x[i];
      double valley = x[i + 1] - xi * xi;
      double offset = 1 - xi;
      sum += 100 * valley * valley + offset * offset;
      g[i] = carry - 400 * xi * valley - 2 * offset;
      carry = 200 * valley;
    }
    g[n - 1] = carry;
    return sum;
  }

  /** Commons Math forward mode: n independent variables, order 1, so O(n) work per operation. */
  public double derivativeStructure() {
    if (dsIndex.length > 0 && dsIndex[0] == 0) {
      DSCompiler compiler = DSCompiler.getCompiler(n, 1);
      for (int p = 0; p < n; p++) {
        int[] orders = new int[n];
        orders[p] = 1;
        dsIndex[p] = compiler.getPartialDerivativeIndex(orders);
      }
    }
    DerivativeStructure[] v = new DerivativeStructure[n];
    for (int i = 0; i < n; i++) {
      v[i] = new DerivativeStructure(n, 1, i, x[i]);
    }
    DerivativeStructure sum = new DerivativeStructure(n, 1, 0.0);
    for (int i = 0; i < n - 1; i++) {
      DerivativeStructure valley = v[i + 1].subtract(v[i].multiply(v[i]));
      DerivativeStructure offset = v[i].negate().add(1);
      sum = sum.add(valley.multiply(valley).multiply(100).add(offset.multiply(offset)));
    }
    double[] all = sum.getAllDerivatives();
    for (int p = 0; p < n; p++) {
      dsGradient[p] = all[dsIndex[p]];
    }
    return all[0];
  }

  /** Central differences: 2n evaluations of the function plus one for the value. */
  public double finiteDifferences() {
    double[] p = fdPoint;
    for (int i = 0; i < n; i++) {
      double saved = p[i];
      double h = 6e-6 * Math.max(1, Math.abs(saved));
      p[i] = saved + h;
      double up = Workloads.rosenbrock(p);
      p[i] = saved - h;
      double down = Workloads.rosenbrock(p);
      p[i] = saved;
      fdGradient[i] = (up - down) / (2 * h);
    }
    return Workloads.rosenbrock(p);
  }

  /** Every variant (DS and FD only when {@code withPeers}) against the hand-written gradient. */
  public void check(boolean withPeers) {
    String w = "W2 n=" + n;
    double value = handWritten();
    double[] reference = handGradient.clone();
    double[] p = x.clone();
    Check.referenceAgainstDifferences(w + " hand-written", p, reference, v -> Workloads.rosenbrock(p), 50);
    Check.value(w + " primal", value, primal());
    WorkloadsGrad.RosenbrockGradient g = generated();
    Check.value(w + " generated", value, g.value());
    Check.exact(w + " generated gradient", reference, g.x());
    Check.value(w + " generated into", value, generatedInto());
    Check.exact(w + " generated into gradient", reference, into.x());
    String w6 = "W6 n=" + n;
    Check.value(w6 + " primal", value, callsPrimal());
    WorkloadsGrad.RosenbrockCallsGradient calls = callsGenerated();
    Check.value(w6 + " generated", value, calls.value());
    Check.exact(w6 + " generated gradient", reference, calls.x());
    Check.value(w6 + " generated into", value, callsGeneratedInto());
    Check.exact(w6 + " generated into gradient", reference, callsInto.x());
    if (withPeers) {
      Check.value(w + " DerivativeStructure", value, derivativeStructure());
      Check.exact(w + " DerivativeStructure gradient", reference, dsGradient);
      Check.value(w + " finite differences", value, finiteDifferences());
      Check.close(w + " finite differences gradient", reference, fdGradient, Check.FD_RTOL, Check.FD_ATOL);
    }
  }

  void export(Path root, String name) {
    double value = handWritten();
    new Export(root, name).vector("x", x).scalar("value", value).vector("grad.x", handGradient.clone());
  }
}
