package dev.adjoint.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.IdentifierTree;
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
  private final Map<ExecutableElement, Boolean> known = new HashMap<>();
  private final Set<ExecutableElement> inProgress = new HashSet<>();

  public CalleePurity(Trees trees, Elements elements, RuleCatalogue rules) {
    this.trees = trees;
    this.elements = elements;
    this.rules = rules;
  }

  /** Whether running {@code method} again gives the same values and no new effects. */
  public boolean isRecomputable(ExecutableElement method) {
    Boolean cached = known.get(method);
    if (cached != null) {
      return cached;
    }
    if (inProgress.contains(method)) {
      return true; // a cycle: the other methods on it decide
    }
    MethodTree tree = trees.getTree(method);
    TreePath path = trees.getPath(method);
    if (tree == null || path == null || tree.getBody() == null) {
      return DifferentiableSignature.recordedRecomputable(method, elements); // compiled earlier
    }
    inProgress.add(method);
    SymbolResolver symbols = new SymbolResolver(elements, (TypeElement) method.getEnclosingElement(),
        path.getCompilationUnit(), rules);
    boolean recomputable = new Scan(symbols, tree).recomputable;
    inProgress.remove(method);
    if (!recomputable || inProgress.isEmpty()) {
      known.put(method, recomputable); // a yes that leaned on an unfinished cycle is not final
    }
    return recomputable;
  }

  private boolean isRecomputableCallee(ExecutableElement callee) {
    String owner = ((TypeElement) callee.getEnclosingElement()).getQualifiedName().toString();
    String name = callee.getSimpleName().toString();
    if (DifferentiableSignature.annotationOf(callee) != null) {
      return isRecomputable(callee);
    }
    return Callee.isKnownPure(owner, name) || hasRule(owner, name, callee);
  }

  private boolean hasRule(String owner, String name, ExecutableElement callee) {
    List<Type> parameterTypes = new ArrayList<>();
    for (VariableElement parameter : callee.getParameters()) {
      Optional<Type> type = JavaTypes.toIr(parameter.asType());
      if (type.isEmpty()) {
        return false;
      }
      parameterTypes.add(type.get());
    }
    return rules.partialsOf(owner, name, parameterTypes).isPresent();
  }

  /** One method's body, looked through for calls and static array reads. */
  private final class Scan extends TreeScanner<Void, Void> {
    private final SymbolResolver symbols;
    private final Set<String> locals = new HashSet<>();
    private boolean recomputable = true;

    Scan(SymbolResolver symbols, MethodTree method) {
      this.symbols = symbols;
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
      for (ExecutableElement callee : symbols.methodsNamedBy(call)) {
        if (recomputable && !isRecomputableCallee(callee)) {
          recomputable = false;
        }
      }
      return super.visitMethodInvocation(call, unused);
    }

    @Override
    public Void visitArrayAccess(ArrayAccessTree access, Void unused) {
      boolean local = access.getExpression() instanceof IdentifierTree id && locals.contains(id.getName().toString());
      if (!local && !(access.getExpression() instanceof ArrayAccessTree) && symbols.namesArrayField(access.getExpression())) {
        recomputable = false;
      }
      return super.visitArrayAccess(access, unused);
    }
  }
}
