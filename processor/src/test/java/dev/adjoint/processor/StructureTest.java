package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Passes over the IR dispatch on the kind of node through {@code Stmt.Visitor} and
 * {@code Expr.Visitor}, so that a new kind of node fails to compile in every pass until it says
 * what the node means there. An {@code instanceof} chain would silently skip the new kind.
 *
 * <p>The scan parses the processor's main sources and reports every method (with the lambdas and
 * local classes in it) that tests one expression against two or more kinds of {@code Stmt} or
 * {@code Expr}, counting a cast to a kind as a test: that is dispatch over node kinds. A single {@code instanceof} that asks about one
 * shape ("is this the literal 1?", "is this a read of i?") is not: any other kind simply is not
 * that shape.
 */
class StructureTest {
  private static final Path MAIN_SOURCES = Path.of("src/main/java");
  private static final Pattern NODE_KIND = Pattern.compile("(?:[\\w.]*\\.)?(?:Stmt|Expr)\\.\\w+");

  /**
   * Tests of one expression against several node kinds that ask about a shape, not dispatch over
   * kinds, as {@code File.java#method(subject)}: any kind not named is simply not that shape.
   */
  private static final Set<String> ALLOWED = Set.of(
      // A switch's selector that is a literal, or a variable no case assigns, is read as it is; any other is copied.
      "TreeLowering.java#lowerSwitch(selector)",
      // A case body's trailing break (also inside a trailing block) is dropped; any other statement ends the search.
      "TreeLowering.java#withoutFinalBreak(last)",
      // Literals and constants never change; any other expression is asked what it reads.
      "TreeLowering.java#couldChange(expr)",
      // Simplifies a product whose partial is -a or a / b; anything else is multiplied as it is.
      "OperatorPartials.java#product(partial)",
      // A counter step by a literal or a constant can be undone; any other step is saved.
      "Recording.java#isInvertibleStep(binary.right())",
      // A seed that is already a name or a number needs no temporary; anything else gets one.
      "ReverseTransform.java#materialize(seedExpr)",
      // Two questions about the assignment at hand: a declaration of a pullback's gradient, an element store.
      "ForwardTransform.java#translateAssignment(statement)",
      // A loop's update goes into a for header only when every step is an assignment or element store,
      // and then each step is printed as the one or the other.
      "CodeWriter.java#loop(s)",
      "CodeWriter.java#loop(step)",
      // The visitor dispatches on a; b has a's class (checked first) and is cast to it.
      "Exprs.java#sameValue(b)",
      // Parenthesises -(-x) and -(-1) so that they do not print as --x.
      "CodeWriter.java#bare(unary.operand())",
      // An array a variable or element holds is read again each iteration; anything else goes into a local first.
      "TreeLowering.java#lowerEnhancedFor(array)",
      // Whether an array value is new (an allocation, initialiser or call) or a local's: anything else is neither.
      "TreeLowering.java#checkArrayValue(value)");

  @Test
  void passesOverTheIrDispatchThroughVisitors() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(MAIN_SOURCES)) {
      files = walk.filter(file -> file.toString().endsWith(".java")).sorted().toList();
    }
    assertTrue(files.size() > 30, "main sources not found under " + MAIN_SOURCES.toAbsolutePath());
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, null)) {
      List<String> chains = dispatchChains(compiler, fileManager.getJavaFileObjectsFromPaths(files));
      Set<String> stale = new TreeSet<>(ALLOWED);
      chains.forEach(chain -> stale.remove(chain.substring(chain.indexOf(' ') + 1)));
      assertTrue(stale.isEmpty(), "allowed tests that are gone; remove them from ALLOWED: " + stale);
      chains.removeIf(chain -> ALLOWED.contains(chain.substring(chain.indexOf(' ') + 1)));
      assertTrue(chains.isEmpty(), "instanceof chains over IR node kinds; write the pass as a Stmt.Visitor or "
          + "Expr.Visitor (or, for a question about one shape, add it to ALLOWED with why):\n"
          + String.join("\n", chains));
    }
  }

  @Test
  void scanFindsChainsAndLeavesSingleShapeTestsAlone() throws IOException {
    String source = """
        class Pass {
          int size(Stmt statement) {
            if (statement instanceof Stmt.Block block) {
              return block.statements().size();
            } else if (statement instanceof Stmt.Loop loop) {
              return 2;
            }
            return 1;
          }

          boolean isOne(Expr expr) {
            return expr instanceof Expr.Literal literal && literal.value().equals(1);
          }

          Variable root(Expr location) {
            return location instanceof Expr.Read read ? read.variable() : root(((Expr.ArrayRead) location).array());
          }

          Runnable inLambda(Expr expr) {
            return () -> { boolean leaf = expr instanceof Expr.Read || expr instanceof Expr.Constant; };
          }
        }
        """;
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Pass.java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    assertEquals(List.of("Pass.java:3 Pass.java#size(statement)", "Pass.java:5 Pass.java#size(statement)",
            "Pass.java:16 Pass.java#root(location)", "Pass.java:20 Pass.java#inLambda(expr)"),
        dispatchChains(ToolProvider.getSystemJavaCompiler(), List.of(file)));
  }

  /** {@code File.java:line File.java#method(subject)} for each test that is part of a chain. */
  private static List<String> dispatchChains(JavaCompiler compiler, Iterable<? extends JavaFileObject> files)
      throws IOException {
    JavacTask task = (JavacTask) compiler.getTask(null, null, null, List.of("-proc:none"), null, files);
    SourcePositions positions = Trees.instance(task).getSourcePositions();
    List<String> found = new ArrayList<>();
    for (CompilationUnitTree unit : task.parse()) {
      String fileName = Path.of(unit.getSourceFile().toUri().getPath()).getFileName().toString();
      new TreeScanner<Void, Void>() {
        /** Per subject of the method being scanned: the node kinds it is tested against, and the lines. */
        private Map<String, Map<String, Long>> testsBySubject = new LinkedHashMap<>();
        private String method;

        @Override
        public Void visitMethod(MethodTree tree, Void unused) {
          boolean outermost = method == null;
          if (outermost) {
            method = tree.getName().toString();
          }
          super.visitMethod(tree, null);
          if (outermost) {
            report();
            method = null;
          }
          return null;
        }

        @Override
        public Void visitInstanceOf(InstanceOfTree tree, Void unused) {
          recordKindTest(tree, tree.getType(), tree.getExpression());
          return super.visitInstanceOf(tree, null);
        }

        /** {@code x instanceof Expr.Read ... : (Expr.ArrayRead) x}: the cast is the chain's last link. */
        @Override
        public Void visitTypeCast(TypeCastTree tree, Void unused) {
          recordKindTest(tree, tree.getType(), tree.getExpression());
          return super.visitTypeCast(tree, null);
        }

        private void recordKindTest(Tree test, Tree type, ExpressionTree subject) {
          String kind = String.valueOf(type);
          if (method != null && NODE_KIND.matcher(kind).matches()) {
            long line = unit.getLineMap().getLineNumber(positions.getStartPosition(unit, test));
            while (subject instanceof ParenthesizedTree parenthesized) {
              subject = parenthesized.getExpression();
            }
            testsBySubject.computeIfAbsent(subject.toString(), key -> new LinkedHashMap<>()).putIfAbsent(kind, line);
          }
        }

        private void report() {
          testsBySubject.forEach((subject, kinds) -> {
            if (kinds.size() > 1) {
              for (long line : new TreeSet<>(kinds.values())) {
                found.add(fileName + ":" + line + " " + fileName + "#" + method + "(" + subject + ")");
              }
            }
          });
          testsBySubject = new LinkedHashMap<>();
        }
      }.scan(unit, null);
    }
    return found;
  }
}
