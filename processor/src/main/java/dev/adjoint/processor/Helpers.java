package dev.adjoint.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.Derivative;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.JavacWillReport;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Report;
import dev.adjoint.processor.frontend.AssignmentFinder;
import dev.adjoint.processor.frontend.CalleePurity;
import dev.adjoint.processor.frontend.DifferentiableSignature;
import dev.adjoint.processor.frontend.HelperCalls;
import dev.adjoint.processor.frontend.JavaTypes;
import dev.adjoint.processor.frontend.Receivers;
import dev.adjoint.processor.frontend.SymbolResolver;
import dev.adjoint.processor.frontend.TreeLowering;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.rules.RuleCatalogue;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Elements;

/**
 * Helpers: static methods of this compilation, without {@code @Differentiable} or a rule, that
 * differentiated code calls. Adjoint differentiates a helper automatically when its body lowers
 * to the IR and it is recomputable (no call of unknown purity, no static array read, itself or
 * through its callees); otherwise its calls stay {@link Callee.Opaque}, which remembers why, so
 * that a differentiated value flowing into one is an error that names the construct and its line.
 *
 * <p>A helper's derivatives go into the companion of each class whose methods call it, as private
 * methods ({@link Companion}): its callers are there, so nothing new becomes public, a private
 * helper's primal is copied there, and each companion is complete when it is written. Two classes
 * that call one helper each hold a copy.
 */
final class Helpers implements CalleePurity.HelperClassifier {
  private final Trees trees;
  private final Elements elements;
  private final RuleCatalogue rules;
  private final CalleePurity purity;
  /** Per helper: empty when it is differentiated, else why not. */
  private final Map<ExecutableElement, Optional<String>> known = new HashMap<>();
  private final Set<ExecutableElement> inProgress = new HashSet<>();
  /** Per helper run in place: empty when its body lowers, else why not. */
  private final Map<ExecutableElement, Optional<String>> inPlaceProblems = new HashMap<>();
  private final Set<ExecutableElement> inPlaceInProgress = new HashSet<>();

  Helpers(Trees trees, Elements elements, RuleCatalogue rules, CalleePurity purity) {
    this.trees = trees;
    this.elements = elements;
    this.rules = rules;
    this.purity = purity;
    purity.useHelpers(this);
  }

  @Override
  public boolean isPureHelper(ExecutableElement method) {
    return hasSource(method) && problemOf(method).isEmpty();
  }

  /**
   * Whether {@code method} is a method without annotation whose body is here, with a result (or
   * void: then its calls run it in place, see {@link #inlines}): static, or an instance method that
   * no subclass can override, of a class whose instance methods Adjoint differentiates (called on
   * the receiver, which its derivatives take first).
   */
  boolean hasSource(ExecutableElement method) {
    boolean receiverFits = !Receivers.hasReceiver(method) || (!Receivers.overridable(method)
        && Receivers.unsupportedOwner((TypeElement) method.getEnclosingElement()) == null);
    if (DifferentiableSignature.annotationOf(method) != null || !receiverFits
        || method.isVarArgs() || !method.getTypeParameters().isEmpty()
        || (JavaTypes.resultToIr(method.getReturnType()).isEmpty() && method.getReturnType().getKind() != TypeKind.VOID)) {
      return false;
    }
    MethodTree tree = trees.getTree(method);
    return tree != null && tree.getBody() != null && trees.getPath(method) != null;
  }

  /**
   * Whether calls of {@code method} run its body in place, inlined into the caller: a helper that
   * returns nothing, or writes into an array parameter (an out-parameter such as {@code dydt} of
   * {@code rhs(y, theta, dydt)}), whose parameters are all of IR types. Inlined, its writes are the
   * caller's writes into the caller's arrays, which every analysis and mode of the caller already
   * follows (saved and restored in reverse, varied when a varied value is written), and arguments
   * that are one array, or alias each other, behave exactly as in Java.
   */
  boolean runsInPlace(ExecutableElement method) {
    if (!hasSource(method)
        || method.getParameters().stream().anyMatch(parameter -> JavaTypes.toIr(parameter.asType()).isEmpty())) {
      return false;
    }
    return method.getReturnType().getKind() == TypeKind.VOID
        || !AssignmentFinder.writtenParameterArrays(method, trees.getTree(method).getBody()).isEmpty();
  }

  /**
   * Why a helper that {@link #runsInPlace runs in place} cannot be lowered there, with the line that
   * stops it; empty when it can (also while it is being decided, for a helper that calls itself:
   * lowering it in place then meets the recursion).
   */
  Optional<String> inPlaceProblem(ExecutableElement helper) {
    Optional<String> cached = inPlaceProblems.get(helper);
    if (cached != null) {
      return cached;
    }
    if (!inPlaceInProgress.add(helper)) {
      return Optional.empty();
    }
    Optional<String> problem;
    try {
      problem = loweringProblem(helper);
    } finally {
      inPlaceInProgress.remove(helper);
    }
    inPlaceProblems.put(helper, problem);
    return problem;
  }

  @Override
  public boolean settled() {
    return inProgress.isEmpty();
  }

  /**
   * Whether {@code method} may be differentiated: static, unannotated, its source here, a result of
   * {@code double}, {@code double[]}, {@code double[][]}, {@code Matrix} or a record of doubles, and a
   * parameter to differentiate. Other
   * methods with their source here are data helpers, pure functions of data when they lower and
   * are recomputable.
   */
  boolean isCandidate(ExecutableElement method) {
    if (!hasSource(method)) {
      return false;
    }
    Optional<Type> result = JavaTypes.resultToIr(method.getReturnType());
    boolean differentiableResult = result.map(type -> type.equals(Type.DOUBLE) || type.equals(Type.DOUBLE_ARRAY)
        || type.equals(Type.DOUBLE_ARRAY_2D) || type.equals(Type.MATRIX)).orElse(false);
    return differentiableResult && method.getParameters().stream()
        .anyMatch(parameter -> JavaTypes.isDifferentiableParameter(parameter.asType()));
  }

  /**
   * Why {@code helper} cannot be differentiated, with the line that stops it; empty when it can. A
   * helper on a cycle of calls counts as differentiable while the cycle is decided.
   */
  Optional<String> problemOf(ExecutableElement helper) {
    Optional<String> cached = known.get(helper);
    if (cached != null) {
      return cached;
    }
    if (inProgress.contains(helper)) {
      return Optional.empty();
    }
    inProgress.add(helper);
    Optional<String> problem = parameterNamedValue(helper).or(() -> loweringProblem(helper));
    if (problem.isEmpty()) {
      problem = purity.firstImpurity(helper);
    }
    inProgress.remove(helper);
    if (problem.isPresent() || (inProgress.isEmpty() && purity.settled())) {
      known.put(helper, problem); // a yes that leaned on an unfinished cycle is not final
    }
    return problem;
  }

  /**
   * A differentiated parameter named {@code value}, whose partial would clash with the value of the
   * helper's generated gradient (as ADJ109 says of annotated methods).
   */
  private Optional<String> parameterNamedValue(ExecutableElement helper) {
    return helper.getParameters().stream()
        .filter(parameter -> parameter.getSimpleName().contentEquals("value")
            && JavaTypes.isDifferentiableParameter(parameter.asType()))
        .findFirst()
        .map(parameter -> describe(helper, "its parameter \"value\" would clash with the value() of the gradient"
            + " Adjoint generates for it; rename the parameter", trees.getTree(parameter)));
  }

  /** The first error lowering the helper's body reports, if any. */
  private Optional<String> loweringProblem(ExecutableElement helper) {
    Report report = new Report(helper, unitOf(helper));
    try {
      lower(helper, report, new Caller(null, helper, EnumSet.noneOf(Derivative.class)));
    } catch (CompileError error) {
      report.add(error);
    } catch (JavacWillReport javacReportsIt) {
      return Optional.of(describe(helper, javacReportsIt.getMessage(), null));
    }
    Optional<String> problem = report.firstError().map(error -> describe(helper, error.getKey(), error.getValue()));
    if (problem.isEmpty() && !report.isClean()) {
      return Optional.of(describe(helper, report.leftToJavac().orElse("javac reports an error in it"), null));
    }
    return problem;
  }

  /** Lowers the helper's body, its calls classified for {@code caller}; null after an error in {@code report}. */
  dev.adjoint.processor.ir.Function lower(ExecutableElement helper, Report report, HelperCalls calls) {
    TypeElement owner = (TypeElement) helper.getEnclosingElement();
    CompilationUnitTree unit = unitOf(helper);
    SymbolResolver symbols = new SymbolResolver(elements, owner, unit, rules, purity, calls).withTrees(trees);
    TreeLowering lowering = new TreeLowering(symbols, unit, trees.getSourcePositions(), report, helper);
    if (runsInPlace(helper)) {
      lowering.allowWritesIntoParameters(); // a trial: its calls run it in place, on the caller's arrays
    }
    return lowering.lower(trees.getTree(helper), DifferentiableSignature.ofHelper(helper, "", "h").differentiatedNames());
  }

  CompilationUnitTree unitOf(ExecutableElement method) {
    TreePath path = trees.getPath(method);
    return path == null ? null : path.getCompilationUnit();
  }

  /** {@code line 12 of Models.java: [ADJ201] ...}: an error in a helper, quoted at its callers. */
  String describe(ExecutableElement helper, String text, Object tree) {
    Tree at = tree instanceof Tree located ? located : trees.getTree(helper);
    CompilationUnitTree unit = unitOf(helper);
    return at == null || unit == null ? text : CalleePurity.where(trees, unit, at) + ": " + text;
  }

  /** {@code Models.concentration}, as messages name methods. */
  static String shortName(ExecutableElement method) {
    return method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
  }

  /**
   * Whether the companion, a top-level class of {@code companionPackage}, cannot call
   * {@code method} directly: it, or a class around it, is private or not visible from there.
   */
  private boolean hiddenFrom(Element method, PackageElement companionPackage) {
    for (Element e = method; e instanceof ExecutableElement || e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return true;
      }
      if (!e.getModifiers().contains(Modifier.PUBLIC) && !elements.getPackageOf(e).equals(companionPackage)) {
        return true;
      }
    }
    return false;
  }

  /** The calls made by one method of {@code companion}'s class, or by a helper there (null: only deciding). */
  final class Caller implements HelperCalls {
    private final Companion companion;
    private final ExecutableElement method;
    private final Set<Derivative> modes;

    Caller(Companion companion, ExecutableElement method, Set<Derivative> modes) {
      this.companion = companion;
      this.method = method;
      this.modes = modes;
    }

    @Override
    public Body inlinedBody(ExecutableElement helper) {
      return runsInPlace(helper)
          ? new Body(trees.getTree(helper), unitOf(helper), inPlaceProblem(helper).orElse(null)) : null;
    }

    public Callee callee(Tree call, ExecutableElement helper, List<Type> parameterTypes, Type returnType,
        boolean asFunction) {
      if (!hasSource(helper)) {
        return null;
      }
      String owner = ((TypeElement) helper.getEnclosingElement()).getQualifiedName().toString();
      String name = helper.getSimpleName().toString();
      Optional<String> problem = problemOf(helper);
      boolean hidden = companion != null && companion.copiesPrimal(helper);
      if (problem.isPresent()) {
        if (JavaTypes.recordOfDoubles(helper.getReturnType()).isPresent()) {
          throw new CompileError(call, Message.RECORD_RESULT_CALL, shortName(helper), "it cannot be differentiated: "
              + problem.get());
        }
        if (hidden) {
          throw new CompileError(call, Message.HIDDEN_HELPER, shortName(helper), problem.get());
        }
        return new Callee.Opaque(owner, name, parameterTypes, returnType, problem.get());
      }
      if (runsInPlace(helper)) {
        // One that lowers runs in place (TreeLowering); the others are calls of unknown purity.
        return new Callee.Opaque(owner, name, parameterTypes, returnType, inPlaceProblem(helper)
            .orElse("it writes into an array it is given, and this call of it cannot run in place"));
      }
      if (!isCandidate(helper) && !hidden) {
        return new Callee.Plain(owner, name, parameterTypes, returnType, Receivers.hasReceiver(helper)); // pure, on data
      }
      Set<Derivative> modes = EnumSet.noneOf(Derivative.class);
      modes.addAll(this.modes);
      if (asFunction) {
        modes.add(Derivative.TANGENT); // the function object's tangent calls it
      }
      if (companion != null) {
        companion.request(helper, modes);
        companion.calls.add(new CallSite(method, call, helper));
      }
      DifferentiableSignature signature = companion == null
          ? DifferentiableSignature.ofHelper(helper, owner + "Grad", name) : companion.signatureOf(helper);
      String primalOwner = hidden ? signature.companionQualifiedName() : owner;
      String primalName = hidden ? signature.baseName() : name;
      // A copy in the companion is static and takes the receiver first.
      boolean onReceiver = Receivers.hasReceiver(helper) && !hidden;
      if (!isCandidate(helper)) {
        return new Callee.Plain(primalOwner, primalName, parameterTypes, returnType, onReceiver); // its copy here
      }
      return new Callee.Differentiable(primalOwner, primalName, parameterTypes, returnType,
          signature.companionQualifiedName(), signature.gradientSimpleName(), signature.pullbackName(),
          signature.differentiated(), DifferentiableSignature.hasTangent(modes), modes.contains(Derivative.HESSIAN),
          true, modes.contains(Derivative.TAYLOR), onReceiver);
    }
  }

  /** A call of {@code helper} in {@code caller}'s body. */
  record CallSite(ExecutableElement caller, Tree call, ExecutableElement helper) {}

  /** The helpers one companion holds: their names there, the modes its callers need, where they are called. */
  final class Companion {
    private final String qualifiedName;
    private final PackageElement packageElement;
    private final Set<String> taken = new HashSet<>();
    private final Map<ExecutableElement, DifferentiableSignature> signatures = new LinkedHashMap<>();
    private final Map<ExecutableElement, Set<Derivative>> modes = new LinkedHashMap<>();
    private final Deque<ExecutableElement> pending = new ArrayDeque<>();
    final Set<CallSite> calls = new LinkedHashSet<>();

    /** @param annotated the annotated methods whose companion this is, whose generated names stay theirs */
    Companion(String qualifiedName, PackageElement packageElement, List<ExecutableElement> annotated) {
      this.qualifiedName = qualifiedName;
      this.packageElement = packageElement;
      taken.add("functions");
      for (ExecutableElement method : annotated) {
        String name = method.getSimpleName().toString();
        for (String suffix : List.of("", "Pullback", "PullbackTangent", "Tangent", "Hessian", "HessianVector",
            "Derivatives", "Series", "Jacobian")) {
          taken.add(name + suffix);
        }
        taken.add(DifferentiableSignature.of(method, elements).gradientSimpleName());
      }
    }

    Caller caller(ExecutableElement method, Set<Derivative> callerModes) {
      return new Caller(this, method, callerModes);
    }

    /**
     * Asks for {@code helper}'s derivatives in the modes a caller with {@code callerModes} needs (for
     * a data helper, its copy when the companion cannot call it).
     */
    private void request(ExecutableElement helper, Set<Derivative> callerModes) {
      Set<Derivative> needed = EnumSet.noneOf(Derivative.class);
      if (DifferentiableSignature.hasTangent(callerModes)) {
        needed.add(Derivative.TANGENT);
      }
      if (callerModes.contains(Derivative.HESSIAN)) {
        needed.add(Derivative.HESSIAN);
      }
      if (callerModes.contains(Derivative.TAYLOR)) {
        needed.add(Derivative.TAYLOR);
      }
      Set<Derivative> had = modes.get(helper);
      if (had == null) {
        modes.put(helper, needed);
        pending.add(helper);
      } else if (!had.containsAll(needed)) {
        had.addAll(needed); // differentiated again, in more modes
        if (!pending.contains(helper)) {
          pending.add(helper);
        }
      }
    }

    /** The next helper to differentiate (again, when a caller needs more modes of it), or null. */
    ExecutableElement next() {
      return pending.poll();
    }

    Set<Derivative> modesOf(ExecutableElement helper) {
      return modes.get(helper);
    }

    DifferentiableSignature signatureOf(ExecutableElement helper) {
      return signatures.computeIfAbsent(helper, method -> {
        String name = method.getSimpleName().toString();
        String base = name;
        for (int n = 2; clashes(base); n++) {
          base = name + n;
        }
        for (String suffix : List.of("", "Pullback", "PullbackTangent", "Tangent", "Series")) {
          taken.add(base + suffix);
        }
        taken.add(dev.adjoint.processor.ir.Identifiers.capitalize(base) + "Gradient");
        return DifferentiableSignature.ofHelper(method, qualifiedName, base);
      });
    }

    private boolean clashes(String base) {
      return List.of(base, base + "Pullback", base + "PullbackTangent", base + "Tangent", base + "Series",
          dev.adjoint.processor.ir.Identifiers.capitalize(base) + "Gradient").stream().anyMatch(taken::contains);
    }

    /** Whether {@code helper} needs no derivative, only a copy of itself here. */
    boolean isDataHelper(ExecutableElement helper) {
      return !isCandidate(helper);
    }

    /** Whether the companion cannot call the helper itself, and runs a copy of it instead. */
    boolean copiesPrimal(ExecutableElement helper) {
      // A record result is a double[] in derivative code: callers run a copy that returns that.
      return hiddenFrom(helper, packageElement) || JavaTypes.recordOfDoubles(helper.getReturnType()).isPresent();
    }
  }
}
