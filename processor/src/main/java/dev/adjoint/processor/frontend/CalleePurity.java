package dev.adjoint.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.rules.RuleCatalogue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Which {@code @Differentiable} methods a caller's reverse sweep may run again through their
 * pullback: those that, themselves or through what they call, make no call of unknown purity and
 * read no {@code static} array. A caller calls the method in its forward sweep and the pullback in
 * its reverse sweep, which runs the method's body a second time; for any other method that would
 * repeat side effects, or see arrays changed in between.
 *
 * <p>Read from the source of the methods of this compilation, conservatively: a call stands for
 * every overload of its name; for methods compiled earlier, from the {@code DerivativeMetadata}
 * their companion carries.
 */
public final class CalleePurity {
  private final Trees trees;
  private final Elements elements;
  private final RuleCatalogue rules;
  private final Map<ExecutableElement, Optional<String>> known = new HashMap<>();
  private final Set<ExecutableElement> inProgress = new HashSet<>();
  private HelperClassifier helpers;

  /**
   * Which methods without {@code @Differentiable} Adjoint differentiates automatically, or runs
   * again as pure functions of data (helpers); while it is deciding one, answers that lean on it
   * are not final.
   */
  public interface HelperClassifier {
    boolean isPureHelper(ExecutableElement method);

    boolean settled();
  }

  public CalleePurity(Trees trees, Elements elements, RuleCatalogue rules) {
    this.trees = trees;
    this.elements = elements;
    this.rules = rules;
  }

  public void useHelpers(HelperClassifier classifier) {
    this.helpers = classifier;
  }

  /** Whether no answer in progress may change one given now. */
  public boolean settled() {
    return inProgress.isEmpty();
  }

  /** Whether running {@code method} again gives the same values and no new effects. */
  public boolean isRecomputable(ExecutableElement method) {
    return firstImpurity(method).isEmpty();
  }

  /**
   * The first call or array read that makes {@code method} not recomputable, with its line (empty
   * when it is recomputable, or compiled earlier and recorded as such).
   */
  public Optional<String> firstImpurity(ExecutableElement method) {
    Optional<String> cached = known.get(method);
    if (cached != null) {
      return cached;
    }
    if (inProgress.contains(method)) {
      return Optional.empty(); // a cycle: the other methods on it decide
    }
    MethodTree tree = trees.getTree(method);
    TreePath path = trees.getPath(method);
    if (tree == null || path == null || tree.getBody() == null) {
      // compiled earlier
      return DifferentiableSignature.recordedRecomputable(method, elements) ? Optional.empty()
          : Optional.of("its companion records that it makes calls of unknown purity");
    }
    inProgress.add(method);
    SymbolResolver symbols = new SymbolResolver(elements, (TypeElement) method.getEnclosingElement(),
        path.getCompilationUnit(), rules).withTrees(trees);
    java.util.Map<String, TypeElement> recordParameters = new HashMap<>();
    for (VariableElement parameter : method.getParameters()) {
      if (JavaTypes.recordShape(parameter.asType()).isPresent()) {
        recordParameters.put(parameter.getSimpleName().toString(),
            (TypeElement) ((javax.lang.model.type.DeclaredType) parameter.asType()).asElement());
      }
    }
    Optional<String> impurity = new Scan(symbols, tree, path.getCompilationUnit(), recordParameters).impurity;
    inProgress.remove(method);
    if (impurity.isPresent() || (inProgress.isEmpty() && (helpers == null || helpers.settled()))) {
      known.put(method, impurity); // a yes that leaned on an unfinished cycle is not final
    }
    return impurity;
  }

  /** Whether {@code method} is written in a source of this compilation (javac's implicit record accessors are not). */
  boolean isWrittenInSource(ExecutableElement method) {
    return trees.getTree(method) != null;
  }

  private boolean isRecomputableCallee(ExecutableElement callee) {
    String owner = ((TypeElement) callee.getEnclosingElement()).getQualifiedName().toString();
    String name = callee.getSimpleName().toString();
    if (DifferentiableSignature.annotationOf(callee) != null) {
      return isRecomputable(callee);
    }
    return Callee.isKnownPure(owner, name) || hasRule(owner, name, callee)
        || (helpers != null && helpers.isPureHelper(callee));
  }

  private boolean hasRule(String owner, String name, ExecutableElement callee) {
    List<Type> parameterTypes = new ArrayList<>();
    for (VariableElement parameter : callee.getParameters()) {
      Optional<Type> type = JavaTypes.calleeParameterType(parameter.asType());
      if (type.isEmpty()) {
        return false;
      }
      parameterTypes.add(type.get());
    }
    return rules.partialsOf(owner, name, parameterTypes).isPresent();
  }

  /** {@code line 12 of Models.java}, where {@code tree} of {@code unit} starts. */
  public static String where(Trees trees, CompilationUnitTree unit, Tree tree) {
    long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, tree));
    String file = unit.getSourceFile().getName();
    return "line " + line + " of " + file.substring(file.lastIndexOf('/') + 1);
  }

  /** One method's body, looked through for calls and static array reads. */
  private final class Scan extends TreeScanner<Void, Void> {
    private final SymbolResolver symbols;
    private final CompilationUnitTree unit;
    private final Set<String> locals = new HashSet<>();
    private final Map<String, TypeElement> recordParameters;
    private Optional<String> impurity = Optional.empty();

    Scan(SymbolResolver symbols, MethodTree method, CompilationUnitTree unit, Map<String, TypeElement> recordParameters) {
      this.symbols = symbols;
      this.unit = unit;
      this.recordParameters = recordParameters;
      method.getParameters().forEach(parameter -> locals.add(parameter.getName().toString()));
      method.getBody().accept(new TreeScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree variable, Void unused) {
          locals.add(variable.getName().toString());
          return super.visitVariable(variable, unused);
        }
      }, null);
      method.getBody().accept(this, null);
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
      for (ExecutableElement callee : symbols.methodsNamedBy(call, recordParameters)) {
        if (impurity.isEmpty() && !isRecomputableCallee(callee)) {
          impurity = Optional.of(where(trees, unit, call) + " calls " + callee.getEnclosingElement().getSimpleName() + "."
              + callee.getSimpleName() + ", which may have effects (no rule, and not differentiable)");
        }
      }
      return super.visitMethodInvocation(call, unused);
    }

    /** A method passed by reference to a function with rules runs when its derivative code does. */
    @Override
    public Void visitMemberReference(MemberReferenceTree reference, Void unused) {
      for (ExecutableElement callee : symbols.methodsReferencedBy(reference)) {
        if (impurity.isEmpty() && !isRecomputableCallee(callee)) {
          impurity = Optional.of(where(trees, unit, reference) + " passes " + callee.getEnclosingElement().getSimpleName()
              + "." + callee.getSimpleName() + ", which may have effects (no rule, and not differentiable)");
        }
      }
      return super.visitMemberReference(reference, unused);
    }

    @Override
    public Void visitArrayAccess(ArrayAccessTree access, Void unused) {
      boolean local = access.getExpression() instanceof IdentifierTree id && locals.contains(id.getName().toString());
      if (!local && !(access.getExpression() instanceof ArrayAccessTree) && symbols.namesArrayField(access.getExpression())) {
        if (impurity.isEmpty()) {
          impurity = Optional.of(where(trees, unit, access) + " reads the static array " + access.getExpression()
              + ", which may change between runs");
        }
      }
      return super.visitArrayAccess(access, unused);
    }
  }
}
