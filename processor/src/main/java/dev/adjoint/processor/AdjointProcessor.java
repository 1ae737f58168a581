package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.JavacWillReport;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.emit.CompanionWriter;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.lower.CalleePurity;
import dev.adjoint.processor.lower.DifferentiableSignature;
import dev.adjoint.processor.lower.SymbolResolver;
import dev.adjoint.processor.lower.TreeLowering;
import dev.adjoint.processor.rules.RuleCatalogue;
import dev.adjoint.processor.transform.ControlFlowNormalizer;
import dev.adjoint.processor.transform.OpaqueCalls;
import dev.adjoint.processor.transform.ForwardTransform;
import dev.adjoint.processor.transform.TangentCode;
import dev.adjoint.processor.transform.TaylorTransform;
import dev.adjoint.processor.transform.Pullback;
import dev.adjoint.processor.transform.ReverseTransform;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic.Kind;

/**
 * Generates reverse-mode derivatives of {@code @Differentiable} methods at compile time.
 *
 * <p>Per method: {@link MethodValidator} checks the signature, {@link TreeLowering} turns the body
 * into the IR, {@link ControlFlowNormalizer}, {@link Activity} and {@link ReverseTransform} build
 * the pullback, and {@link CompanionWriter} writes one companion class per user class. A problem
 * stops only its method; an unexpected exception becomes an error on that method.
 */
@AutoService(Processor.class)
// Generated is listed so that the companions it marks do not draw javac's -Xlint:processing
// warning "no processor claimed" in the next round; no processor acts on it.
@SupportedAnnotationTypes({
  DifferentiableSignature.ANNOTATION,
  RuleCatalogue.ANNOTATION,
  "javax.annotation.processing.Generated"
})
@SupportedOptions(AdjointProcessor.DEBUG_OPTION)
public final class AdjointProcessor extends AbstractProcessor {
  static final String DEBUG_OPTION = "adjoint.debug";

  private Trees trees;
  private Reporter reporter;
  private RuleCatalogue rules;
  private CalleePurity purity;
  private boolean runtimeReported;

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(javax.annotation.processing.ProcessingEnvironment environment) {
    super.init(environment);
    trees = Trees.instance(environment);
    reporter = new Reporter(environment.getMessager(), trees);
    rules = new RuleCatalogue(environment.getElementUtils(), reporter);
    purity = new CalleePurity(trees, environment.getElementUtils(), rules);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    // Built-in rules first, so that a user's rule that repeats one is the rule reported.
    boolean runtimePresent = rules.loadBuiltIns();
    TypeElement ruleAnnotation = processingEnv.getElementUtils().getTypeElement(RuleCatalogue.ANNOTATION);
    if (ruleAnnotation != null) {
      for (ExecutableElement rule : ElementFilter.methodsIn(round.getElementsAnnotatedWith(ruleAnnotation))) {
        guarded(rule, () -> rules.add(rule));
      }
    }
    TypeElement differentiable = processingEnv.getElementUtils().getTypeElement(DifferentiableSignature.ANNOTATION);
    if (differentiable == null) {
      return true;
    }
    Map<TypeElement, List<ExecutableElement>> byOwner = new LinkedHashMap<>();
    for (Element element : round.getElementsAnnotatedWith(differentiable)) {
      if (element instanceof ExecutableElement method) {
        byOwner.computeIfAbsent((TypeElement) method.getEnclosingElement(), owner -> new ArrayList<>()).add(method);
      }
    }
    for (Map.Entry<TypeElement, List<ExecutableElement>> owner : byOwner.entrySet()) {
      if (!runtimePresent) {
        if (!runtimeReported) {
          runtimeReported = true;
          reporter.error(owner.getValue().get(0), Message.RUNTIME_MISSING);
        }
        continue; // generated code could not compile without it
      }
      guarded(owner.getKey(), () -> processOwner(owner.getKey(), owner.getValue()));
    }
    // The annotations are Adjoint's own: no other processor needs to see them.
    return true;
  }

  private void processOwner(TypeElement owner, List<ExecutableElement> methods) {
    String packageName = processingEnv.getElementUtils().getPackageOf(owner).getQualifiedName().toString();
    DifferentiableSignature first = DifferentiableSignature.of(methods.get(0), processingEnv.getElementUtils());
    CompanionWriter writer = new CompanionWriter(packageName, first.companionSimpleName(), owner.getQualifiedName().toString());
    writer.addOriginatingElement(owner);
    MethodValidator validator = new MethodValidator(processingEnv.getElementUtils(), reporter);
    List<String> seen = new ArrayList<>();
    int written = 0;
    for (ExecutableElement method : methods) {
      // f and F would share the gradient class FGradient.
      String gradientName = DifferentiableSignature.of(method, processingEnv.getElementUtils()).gradientSimpleName();
      boolean duplicate = seen.contains(gradientName);
      seen.add(gradientName);
      if (!validator.validate(method, duplicate)) {
        continue;
      }
      CompanionWriter.Entry[] entry = new CompanionWriter.Entry[1];
      guarded(method, () -> entry[0] = differentiate(owner, method));
      if (entry[0] != null) {
        writer.add(entry[0]);
        written++;
      }
    }
    if (written > 0) {
      try {
        writer.build().writeTo(processingEnv.getFiler());
      } catch (FilerException taken) {
        reporter.error(owner, Message.COMPANION_NAME_TAKEN, first.companionQualifiedName(), owner.getSimpleName());
      } catch (IOException e) {
        reporter.error(owner, Message.INTERNAL_ERROR, owner.getQualifiedName(), "cannot write companion: " + e.getMessage());
      }
    }
  }

  /** The method's companion entry, or null when an error was reported. */
  private CompanionWriter.Entry differentiate(TypeElement owner, ExecutableElement method) {
    TreePath path = trees.getPath(method);
    MethodTree tree = trees.getTree(method);
    if (path == null || tree == null || tree.getBody() == null) {
      reporter.error(method, Message.NO_BODY, method.getSimpleName());
      return null;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    DifferentiableSignature signature = DifferentiableSignature.of(method, processingEnv.getElementUtils());
    SymbolResolver symbols = new SymbolResolver(processingEnv.getElementUtils(), owner, unit, rules, purity);
    TreeLowering lowering = new TreeLowering(symbols, unit, trees.getSourcePositions(), reporter, method);
    List<String> differentiated = signature.differentiated().stream().filter(name -> name != null).toList();
    Function function;
    try {
      function = lowering.lower(tree, differentiated);
    } catch (JavacWillReport javacReportsIt) {
      debugNote(method, javacReportsIt.getMessage());
      return null;
    }
    if (function == null) {
      return null;
    }
    ControlFlowNormalizer normalizer = new ControlFlowNormalizer();
    Function normalized;
    try {
      normalized = OpaqueCalls.isolate(normalizer.normalize(function));
    } catch (CompileError error) {
      reporter.error(error, method, unit);
      return null;
    }
    Activity activity = Activity.of(normalized, normalizer.result());
    ReverseTransform transform = new ReverseTransform(normalized, normalizer.result(), activity);
    Pullback pullback = transform.transform();
    if (!transform.errors().isEmpty()) {
      for (CompileError error : transform.errors()) {
        reporter.error(error, method, unit);
      }
      return null;
    }
    List<String> also = DifferentiableSignature.alsoOf(method, processingEnv.getElementUtils());
    TangentCode tangent = null;
    TangentCode hessianVector = null;
    TangentCode pullbackTangent = null;
    TaylorTransform.TaylorCode taylor = null;
    try {
      if (also.contains("TAYLOR")) {
        taylor = TaylorTransform.of(normalized, normalizer.result());
      }
      if (DifferentiableSignature.hasTangent(also)) {
        tangent = ForwardTransform.tangentCode(normalized, normalizer.result(), rules);
      }
      if (also.contains("HESSIAN")) {
        pullbackTangent = ForwardTransform.pullbackTangentCode(pullback, rules);
        if (normalized.returnType().equals(Type.DOUBLE)) {
          hessianVector = ForwardTransform.hessianVectorCode(pullback, rules);
        }
      }
    } catch (CompileError error) {
      reporter.error(error, method, unit);
      return null;
    }
    return new CompanionWriter.Entry(
        normalized, signature, pullback, tangent, hessianVector, pullbackTangent, taylor);
  }

  /** Runs one step; an exception it did not expect becomes an internal error on {@code element}. */
  private void guarded(Element element, Runnable step) {
    try {
      step.run();
    } catch (CompileError error) {
      reporter.error(error, element, null);
    } catch (JavacWillReport javacReportsIt) {
      debugNote(element, javacReportsIt.getMessage()); // javac prints its own error for this code
    } catch (RuntimeException | StackOverflowError unexpected) {
      reporter.error(element, Message.INTERNAL_ERROR, element.getSimpleName(), unexpected);
      StringWriter trace = new StringWriter();
      unexpected.printStackTrace(new PrintWriter(trace));
      debugNote(element, trace.toString());
    }
  }

  /** With {@code -Aadjoint.debug=true}, a note on why a method was skipped or failed. */
  private void debugNote(Element element, String text) {
    if (Boolean.parseBoolean(processingEnv.getOptions().get(DEBUG_OPTION))) {
      processingEnv.getMessager().printMessage(Kind.NOTE, "Adjoint: " + text, element);
    }
  }
}
