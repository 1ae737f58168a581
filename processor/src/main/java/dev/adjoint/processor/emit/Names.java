package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Java names for the variables of one generated method, scope by scope as Java sees them. Each
 * variable keeps its own name ({@code j} stays {@code j}) unless a variable visible where it is
 * declared already has it: two locals {@code t} of sibling blocks are both {@code t}, and only a
 * real clash is numbered ({@code t2}). The user's names win: names the generator picks
 * ({@link #fresh}) and synthetic variables avoid every name the method's code declares.
 */
final class Names {
  /** The names visible at the current point, innermost scope last, each with what holds it. */
  private final Deque<Map<String, Object>> scopes = new ArrayDeque<>();
  private final Map<Variable, String> named = new IdentityHashMap<>();
  private final Map<Object, String> freshNames = new HashMap<>();
  /** Every name given so far or declared by the code: numbered names avoid them all. */
  private final Set<String> taken = new HashSet<>();
  /** The names the method's code declares (see {@link #claim}). */
  private final Set<String> claimed = new HashSet<>();
  /** The names of the user's variables (parameters and locals) in the method's code. */
  private final Set<String> userNames = new HashSet<>();

  Names() {
    scopes.push(new HashMap<>());
  }

  /** Reserves {@code name} exactly (parameters keep their names); fails if it is taken. */
  String reserve(Variable parameter, String name) {
    if (isVisible(name)) {
      throw new IllegalStateException("name taken: " + name);
    }
    bind(parameter, name);
    userNames.add(name);
    return name;
  }

  /**
   * Makes the names that {@code statements} declare known before anything else is named, so that
   * {@link #fresh} names and synthetic variables keep off them.
   */
  void claim(List<Stmt> statements) {
    for (Variable variable : Stmts.declared(statements)) {
      claimed.add(variable.name());
      taken.add(variable.name());
      if (variable.role() != Variable.Role.SYNTHETIC) {
        userNames.add(variable.name());
      }
    }
  }

  /** The name of {@code variable} where it is used; named in the current scope when first met. */
  String of(Variable variable) {
    String name = named.get(variable);
    return name != null ? name : declare(variable);
  }

  /** Whether {@code variable} has a name here already (a parameter, or a local declared so far). */
  boolean isNamed(Variable variable) {
    return named.containsKey(variable);
  }

  /**
   * From now on {@code variable} is written {@code qualified}: a field of another object (the frame
   * of a split method) that holds it.
   */
  void qualify(Variable variable, String qualified) {
    named.put(variable, qualified);
  }

  /** Whether {@code variable} is declared in a scope still open (a declaration of it assigns). */
  boolean isDeclared(Variable variable) {
    String name = named.get(variable);
    return name != null && scopes.stream().anyMatch(scope -> scope.get(name) == variable);
  }

  /** Names {@code variable} for a declaration in the current scope: its own name unless that is visible. */
  String declare(Variable variable) {
    String name = variable.name();
    String previous = named.get(variable);
    if (previous != null && !isVisible(previous)) {
      name = previous; // declared again in a sibling scope: same name there
    } else if (isVisible(name) || !SourceVersion.isName(name)
        || (variable.role() == Variable.Role.SYNTHETIC && userNames.contains(name))) {
      name = numbered(name);
    }
    bind(variable, name);
    return name;
  }

  /** A fresh name for something that is not an IR variable, such as the gradient object. */
  String fresh(String suggestion, Object tag) {
    String name = isVisible(suggestion) || claimed.contains(suggestion) || !SourceVersion.isName(suggestion)
        ? numbered(suggestion) : suggestion;
    freshNames.put(tag, name);
    taken.add(name);
    scopes.peek().put(name, tag);
    return name;
  }

  /** Opens a Java block: names declared in it are free again once it closes. */
  void open() {
    scopes.push(new HashMap<>());
  }

  void close() {
    scopes.pop();
  }

  private void bind(Variable variable, String name) {
    named.put(variable, name);
    taken.add(name);
    scopes.peek().put(name, variable);
  }

  private boolean isVisible(String name) {
    return scopes.stream().anyMatch(scope -> scope.containsKey(name));
  }

  private String numbered(String base) {
    for (int i = 2; ; i++) {
      String candidate = base + i;
      if (!taken.contains(candidate) && !isVisible(candidate) && SourceVersion.isName(candidate)) {
        return candidate;
      }
    }
  }
}
