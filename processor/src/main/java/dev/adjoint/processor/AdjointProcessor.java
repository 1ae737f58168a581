package dev.adjoint.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.Derivative;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.JavacWillReport;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Report;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.emit.CompanionWriter;
import dev.adjoint.processor.forward.ForwardTransform;
import dev.adjoint.processor.forward.TangentCode;
import dev.adjoint.processor.frontend.CalleePurity;
import dev.adjoint.processor.frontend.DifferentiableSignature;
import dev.adjoint.processor.frontend.JavaTypes;
import dev.adjoint.processor.frontend.SymbolResolver;
import dev.adjoint.processor.frontend.TreeLowering;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.normalize.ControlFlowNormalizer;
import dev.adjoint.processor.normalize.OpaqueCalls;
import dev.adjoint.processor.reverse.Pullback;
import dev.adjoint.processor.reverse.ReverseTransform;
import dev.adjoint.processor.rules.RuleCatalogue;
import dev.adjoint.processor.taylor.TaylorTransform;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Generates reverse-mode derivatives of {@code @Differentiable} methods at compile time.
 *
 * <p>Per method: {@link MethodValidator} checks the signature, and a {@link DerivativeRequest}
 * goes through the stages in {@link #differentiate}: {@link TreeLowering} turns the body into the
 * IR, {@link ControlFlowNormalizer}, {@link Activity} and {@link ReverseTransform} build the
 * pullback, the forward modes asked for follow, and {@link CompanionWriter} writes one companion
 * class per user class. Every stage reports into the method's {@link Report}, printed once; a
 * problem stops only its method, and an unexpected exception becomes an error on that method.
 */
// Generated and the metadata are listed so that the companions they mark do not draw javac's
// -Xlint:processing warning "no processor claimed" in the next round; no processor acts on them.
@SupportedAnnotationTypes({
  DifferentiableSignature.ANNOTATION,
  RuleCatalogue.ANNOTATION,
  DifferentiableSignature.METADATA,
  "javax.annotation.processing.Generated"
})
@SupportedOptions(AdjointProcessor.DEBUG_OPTION)
public final class AdjointProcessor extends AbstractProcessor {
  static final String DEBUG_OPTION = "adjoint.debug";

  private Trees trees;
  private Elements elements;
  private Reporter reporter;
  private RuleCatalogue rules;
  private CalleePurity purity;
  private Helpers helpers;
  private boolean runtimeReported;
  /**
   * Classes with a method that uses a name not found yet, by qualified name (elements need not
   * survive a round): a later round may bring the class another processor generates.
   */
  private final Set<String> deferredOwners = new LinkedHashSet<>();

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(javax.annotation.processing.ProcessingEnvironment environment) {
    super.init(environment);
    trees = Trees.instance(environment);
    elements = environment.getElementUtils();
    reporter = new Reporter(environment.getMessager(), trees);
    rules = new RuleCatalogue(elements, reporter);
    purity = new CalleePurity(trees, elements, rules);
    helpers = new Helpers(trees, elements, rules, purity);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    // Built-in rules first, so that a user's rule that repeats one is the rule reported.
    boolean runtimePresent = rules.loadBuiltIns();
    TypeElement ruleAnnotation = elements.getTypeElement(RuleCatalogue.ANNOTATION);
    if (ruleAnnotation != null) {
      for (ExecutableElement rule : ElementFilter.methodsIn(round.getElementsAnnotatedWith(ruleAnnotation))) {
        guarded(rule, () -> rules.add(rule));
      }
    }
    TypeElement differentiable = elements.getTypeElement(DifferentiableSignature.ANNOTATION);
    if (differentiable == null) {
      return true;
    }
    for (Map.Entry<TypeElement, List<ExecutableElement>> owner : methodsByOwner(round, differentiable).entrySet()) {
      if (!runtimePresent) {
        if (!runtimeReported) {
          runtimeReported = true;
          reporter.error(owner.getValue().get(0), Message.RUNTIME_MISSING);
        }
        continue; // generated code could not compile without it
      }
      guarded(owner.getKey(), () -> processOwner(owner.getKey(), owner.getValue(), round.processingOver()));
    }
    // The annotations are Adjoint's own: no other processor needs to see them.
    return true;
  }

  /** This round's annotated methods and those of the classes deferred from earlier rounds, by class. */
  private Map<TypeElement, List<ExecutableElement>> methodsByOwner(RoundEnvironment round, TypeElement differentiable) {
    Map<TypeElement, List<ExecutableElement>> byOwner = new LinkedHashMap<>();
    for (String name : deferredOwners) {
      TypeElement owner = elements.getTypeElement(name);
      if (owner != null) {
        byOwner.put(owner, ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
            .filter(method -> DifferentiableSignature.annotationOf(method) != null)
            .collect(Collectors.toCollection(ArrayList::new)));
      }
    }
    deferredOwners.clear();
    for (Element element : round.getElementsAnnotatedWith(differentiable)) {
      if (element instanceof ExecutableElement method) {
        List<ExecutableElement> methods =
            byOwner.computeIfAbsent((TypeElement) method.getEnclosingElement(), owner -> new ArrayList<>());
        if (!methods.contains(method)) {
          methods.add(method);
        }
      }
    }
    return byOwner;
  }

  /**
   * Differentiates the methods of one class and writes their companion; or, when a name did not
   * resolve and later rounds may bring it, leaves the whole class to the next round, printing nothing.
   */
  private void processOwner(TypeElement owner, List<ExecutableElement> methods, boolean lastRound) {
    String packageName = elements.getPackageOf(owner).getQualifiedName().toString();
    DifferentiableSignature first = DifferentiableSignature.of(methods.get(0), elements);
    TreePath ownerPath = trees.getPath(owner);
    CompilationUnitTree unit = ownerPath == null ? null : ownerPath.getCompilationUnit();
    MethodValidator validator = new MethodValidator(elements);
    Helpers.Companion companion =
        helpers.new Companion(first.companionQualifiedName(), elements.getPackageOf(owner), methods);
    List<String> seen = new ArrayList<>();
    Map<ExecutableElement, Report> reports = new LinkedHashMap<>();
    Map<ExecutableElement, CompanionWriter.Entry> entries = new LinkedHashMap<>();
    for (ExecutableElement method : methods) {
      Report report = new Report(method, unit);
      reports.put(method, report);
      // f and F would share the gradient class FGradient.
      DifferentiableSignature signature = DifferentiableSignature.of(method, elements);
      boolean duplicate = seen.contains(signature.gradientSimpleName());
      seen.add(signature.gradientSimpleName());
      if (validator.validate(method, duplicate, report)) {
        guarded(report, () -> request(method, unit, signature, report)
            .flatMap(request -> differentiate(request, report, companion))
            .ifPresent(entry -> entries.put(method, entry)));
      }
    }
    if (!lastRound && reports.values().stream().anyMatch(Report::waitsForLaterRound)) {
      deferredOwners.add(owner.getQualifiedName().toString());
      debugNote(owner, "a name did not resolve; trying again in the next round");
      return;
    }
    Map<ExecutableElement, CompanionWriter.Copy> copies = new LinkedHashMap<>();
    differentiateHelpers(companion, reports, entries, copies);
    reports.values().forEach(this::print);
    if (entries.isEmpty()) {
      return;
    }
    CompanionWriter writer = new CompanionWriter(packageName, first.companionSimpleName(), owner.getQualifiedName().toString());
    writer.addOriginatingElement(owner);
    entries.forEach((method, entry) -> writer.add(entry)
        .forEach(what -> reporter.error(method, Message.GENERATED_TOO_LARGE, what)));
    copies.forEach((method, copy) -> writer.add(copy)
        .forEach(what -> reporter.error(method, Message.GENERATED_TOO_LARGE, what)));
    try {
      writer.build().writeTo(processingEnv.getFiler());
    } catch (FilerException taken) {
      reporter.error(owner, Message.COMPANION_NAME_TAKEN, first.companionQualifiedName(), owner.getSimpleName());
    } catch (IOException e) {
      reporter.error(owner, Message.INTERNAL_ERROR, owner.getQualifiedName(), "cannot write companion: " + e.getMessage());
    }
  }

  /**
   * Differentiates the helpers that the methods in {@code entries} call, and those the helpers
   * call, each in the modes its callers need (again when a later caller needs more). A helper that
   * fails fails its callers: each call of it gets an error quoting the helper's first.
   */
  private void differentiateHelpers(Helpers.Companion companion, Map<ExecutableElement, Report> reports,
      Map<ExecutableElement, CompanionWriter.Entry> entries, Map<ExecutableElement, CompanionWriter.Copy> copies) {
    Map<ExecutableElement, Report> helperReports = new LinkedHashMap<>();
    for (ExecutableElement helper = companion.next(); helper != null; helper = companion.next()) {
      ExecutableElement method = helper;
      Report report = new Report(method, helpers.unitOf(method));
      helperReports.put(method, report);
      entries.remove(method);
      DerivativeRequest request = new DerivativeRequest(method, trees.getTree(method), helpers.unitOf(method),
          companion.signatureOf(method), EnumSet.copyOf(companion.modesOf(method)), true,
          companion.copiesPrimal(method));
      if (companion.isDataHelper(method)) {
        guarded(report, () -> copyOf(request, report, companion).ifPresent(copy -> copies.put(method, copy)));
      } else {
        guarded(report, () -> differentiate(request, report, companion).ifPresent(entry -> entries.put(method, entry)));
      }
    }
    Deque<ExecutableElement> failed = new ArrayDeque<>();
    helperReports.forEach((helper, report) -> {
      if (!report.isClean()) {
        failed.add(helper);
      }
    });
    Set<ExecutableElement> done = new LinkedHashSet<>(failed);
    while (!failed.isEmpty()) {
      ExecutableElement helper = failed.poll();
      String why = helperReports.get(helper).firstError()
          .map(error -> helpers.describe(helper, error.getKey(), error.getValue()))
          .orElse("javac reports what is wrong in it");
      for (Helpers.CallSite call : companion.calls) {
        Report callerReport = reports.containsKey(call.caller()) ? reports.get(call.caller())
            : helperReports.get(call.caller());
        if (call.helper() != helper || callerReport == null || call.caller() == helper) {
          continue;
        }
        callerReport.add(new CompileError(call.call(), Message.HELPER_FAILED, Helpers.shortName(helper), why));
        entries.remove(call.caller());
        copies.remove(call.caller());
        if (helperReports.containsKey(call.caller()) && done.add(call.caller())) {
          failed.add(call.caller());
        }
      }
    }
  }

  /** The request for one validated method; empty when it has no body to read. */
  private Optional<DerivativeRequest> request(
      ExecutableElement method, CompilationUnitTree unit, DifferentiableSignature signature, Report report) {
    MethodTree tree = trees.getTree(method);
    if (unit == null || tree == null || tree.getBody() == null) {
      report.error(Message.NO_BODY, method.getSimpleName());
      return Optional.empty();
    }
    return Optional.of(new DerivativeRequest(
        method, tree, unit, signature, DifferentiableSignature.derivativesOf(method, elements)));
  }

  /**
   * One method through the stages: lower, normalise, analyse, reverse mode, the forward modes it
   * asked for. Empty when a stage reported a problem, which is then in {@code report}.
   */
  private Optional<CompanionWriter.Entry> differentiate(
      DerivativeRequest request, Report report, Helpers.Companion companion) {
    Function lowered = lower(request, report, companion);
    if (!report.isClean()) {
      return Optional.empty();
    }
    ControlFlowNormalizer normalizer = new ControlFlowNormalizer();
    Function normalized = OpaqueCalls.isolate(normalizer.normalize(lowered));
    Variable result = normalizer.result();
    Activity activity = Activity.of(normalized, result);
    ReverseTransform reverse = new ReverseTransform(normalized, result, activity);
    Pullback pullback = reverse.transform();
    report.addAll(reverse.errors());
    if (!report.isClean()) {
      return Optional.empty();
    }
    return Optional.of(forwardModes(request, normalized, result, pullback));
  }

  /** A data helper the companion cannot call: its body, normalised, to copy there. */
  private Optional<CompanionWriter.Copy> copyOf(DerivativeRequest request, Report report, Helpers.Companion companion) {
    Function lowered = lower(request, report, companion);
    if (!report.isClean()) {
      return Optional.empty();
    }
    ControlFlowNormalizer normalizer = new ControlFlowNormalizer();
    Function normalized = normalizer.normalize(lowered);
    return Optional.of(new CompanionWriter.Copy(normalized, normalizer.result(), request.signature().baseName()));
  }

  private Function lower(DerivativeRequest request, Report report, Helpers.Companion companion) {
    Helpers.Caller calls = companion.caller(request.method(), request.derivatives());
    if (request.implicit()) {
      return helpers.lower(request.method(), report, calls);
    }
    TypeElement owner = (TypeElement) request.method().getEnclosingElement();
    SymbolResolver symbols = new SymbolResolver(elements, owner, request.unit(), rules, purity, calls).withTrees(trees);
    TreeLowering lowering = new TreeLowering(symbols, request.unit(), trees.getSourcePositions(), report, request.method());
    return lowering.lower(request.tree(), request.signature().differentiatedNames(), request.signature().fields());
  }

  /** The companion entry: the pullback and the forward-mode bodies of the derivatives asked for. */
  private CompanionWriter.Entry forwardModes(
      DerivativeRequest request, Function normalized, Variable result, Pullback pullback) {
    Set<Derivative> asked = request.derivatives();
    boolean hessian = asked.contains(Derivative.HESSIAN);
    // A helper has only what its callers' derivatives call; Hessians and Taylor series are entry points.
    boolean entryPoint = !request.implicit();
    Optional<TaylorTransform.TaylorCode> taylor = entryPoint && asked.contains(Derivative.TAYLOR)
        ? Optional.of(TaylorTransform.of(normalized, result)) : Optional.empty();
    // What callers' Taylor modes call: for helpers too, which get TAYLOR from their callers.
    Optional<TaylorTransform.TaylorCode> series = asked.contains(Derivative.TAYLOR)
        && normalized.returnType().equals(Type.DOUBLE)
        ? Optional.of(TaylorTransform.series(normalized, result)) : Optional.empty();
    Optional<TangentCode> tangent = DifferentiableSignature.hasTangent(asked)
        ? Optional.of(ForwardTransform.tangentCode(normalized, result, rules)) : Optional.empty();
    Optional<TangentCode> pullbackTangent = hessian
        ? Optional.of(ForwardTransform.pullbackTangentCode(pullback, rules)) : Optional.empty();
    Optional<TangentCode> hessianVector = entryPoint && hessian && normalized.returnType().equals(Type.DOUBLE)
        ? Optional.of(ForwardTransform.hessianVectorCode(pullback, rules)) : Optional.empty();
    return new CompanionWriter.Entry(
        normalized, request.signature(), asked, pullback, tangent, hessianVector, pullbackTangent, taylor, series,
        purity.isRecomputable(request.method()), request.implicit(), request.copiesPrimal(),
        request.method().getParameters().stream().filter(parameter -> JavaTypes.isFloat(parameter.asType()))
            .map(parameter -> parameter.getSimpleName().toString()).collect(java.util.stream.Collectors.toSet()),
        JavaTypes.recordOfDoubles(request.method().getReturnType()).orElse(null));
  }

  /** Runs one step outside any method (a rule, a class) and prints what went wrong. */
  private void guarded(Element element, Runnable step) {
    Report report = new Report(element, null);
    guarded(report, step);
    print(report);
  }

  /**
   * Runs one step; what it throws lands in {@code report}, and an exception it did not expect
   * becomes an internal error there.
   */
  private void guarded(Report report, Runnable step) {
    try {
      step.run();
    } catch (CompileError error) {
      report.add(error);
    } catch (JavacWillReport javacReportsIt) {
      report.leaveToJavac(javacReportsIt);
    } catch (RuntimeException | StackOverflowError unexpected) {
      report.error(Message.INTERNAL_ERROR, report.element().getSimpleName(), unexpected);
      StringWriter trace = new StringWriter();
      unexpected.printStackTrace(new PrintWriter(trace));
      debugNote(report.element(), trace.toString());
    }
  }

  private void print(Report report) {
    reporter.print(report);
    report.leftToJavac().ifPresent(why -> debugNote(report.element(), why)); // javac prints its own error
  }

  /** With {@code -Aadjoint.debug=true}, a note on why a method was skipped or failed. */
  private void debugNote(Element element, String text) {
    if (Boolean.parseBoolean(processingEnv.getOptions().get(DEBUG_OPTION))) {
      reporter.note(element, "Adjoint: " + text);
    }
  }
}
