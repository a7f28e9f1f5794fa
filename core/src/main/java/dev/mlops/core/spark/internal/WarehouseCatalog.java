package dev.mlops.core.spark.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.analysis.NamespaceAlreadyExistsException;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.analysis.NonEmptyNamespaceException;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.connector.catalog.Column;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.StagedTable;
import org.apache.spark.sql.connector.catalog.NamespaceChange;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableInfo;
import org.apache.spark.sql.connector.catalog.V1Table;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.delta.catalog.DeltaCatalog;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The embedded catalog: Spark's session catalog whose contents are derived from the warehouse's
 * folders, so that any number of processes can use it at once and nothing but the warehouse needs
 * to persist (an embedded Derby metastore lets only one JVM in at a time).
 *
 * <p>Layout: database {@code d} is the folder {@code <root>/d.db}; table {@code d.t} is the Delta
 * table in {@code <root>/d.db/t}. When a session starts, and whenever a name is not yet known,
 * the catalog registers the Delta tables it finds in Spark's in-memory catalog (metadata only:
 * the schema and history are read from each table's Delta log when it is used). New tables are
 * always created in their folder, and {@code DROP TABLE} removes the folder, as for a managed
 * table. Renaming is refused: a table's folder is its name. Views persist too: a
 * {@code CREATE VIEW d.v} stores its SQL text in {@code <root>/d.db/_views/v.sql}, from which any
 * other session creates it when it first meets the name ({@link PersistedViews}).
 *
 * <p>Configure it as {@code spark.sql.catalog.spark_catalog} with the option
 * {@code spark.sql.catalog.spark_catalog.root=<warehouse URI>} and
 * {@code spark.sql.catalogImplementation=in-memory}; {@code SparkSessions} does so. One warehouse
 * per JVM at a time: Spark's in-memory catalog is shared by all sessions of a JVM, and a session
 * on another root replaces the registrations of the previous one. Thread-safe.
 *
 * <p>What it relies on, and what fails when Spark or Delta change it: Delta's {@code DeltaCatalog}
 * (a class of Delta's, extended), the catalog plugin API of {@code org.apache.spark.sql.connector}
 * and its exceptions, which live in {@code org.apache.spark.sql.catalyst.analysis}, and the
 * classic session's {@code sessionState().catalog()} for the in-memory registrations: a changed
 * signature fails compilation; a changed behaviour fails {@code WarehouseCatalogTest}. There is no
 * public-API path for a catalog; with {@code catalog.type: hive} the platform does not use it.
 */
public class WarehouseCatalog extends DeltaCatalog {
  /**
   * Registers the warehouse's tables in {@code spark}'s catalog, if it is this one: the catalog
   * reads its options from the active session's conf when it is first loaded.
   */
  public static void attach(org.apache.spark.sql.SparkSession spark) {
    SparkSession classic = (SparkSession) spark;
    SparkSession previous = SparkSession.getActiveSession().getOrElse(() -> null);
    SparkSession.setActiveSession(classic);
    try {
      if (classic.sessionState().catalogManager().v2SessionCatalog() instanceof WarehouseCatalog warehouse) {
        warehouse.refresh();
      }
    } finally {
      if (previous != null) {
        SparkSession.setActiveSession(previous);
      }
    }
  }

  /** The catalog option that names the warehouse root URI. */
  public static final String ROOT_OPTION = "root";

  private static final String DATABASE_SUFFIX = ".db";
  private static final String PROVIDER = "provider";
  private static final String LOCATION = "location";

  private String root;
  private boolean synced;

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    super.initialize(name, options);
    String configured = options.get(ROOT_OPTION);
    if (configured == null || configured.isBlank()) {
      throw new IllegalStateException(
          "Cannot use the warehouse catalog: spark.sql.catalog.spark_catalog." + ROOT_OPTION + " is not set");
    }
    this.root = stripSlash(configured);
  }

  /** The warehouse root URI this catalog derives its contents from. */
  public String root() {
    return root;
  }

  /**
   * Registers every Delta table under the root that the in-memory catalog does not know yet, and
   * drops registrations that point outside this root.
   */
  public synchronized void refresh() {
    PersistedViews.hook(SparkSession.active());
    List<String> databases = databaseFolders();
    for (String[] ns : sessionNamespaces().listNamespacesQuietly()) {
      if (ns.length == 1 && !ns[0].equals("default") && !location(ns).startsWith(root + "/")) {
        dropRegistrationsOf(ns);
      }
    }
    for (String db : databases) {
      registerDatabase(db);
      for (String table : tableFolders(db)) {
        registerTable(Identifier.of(new String[] {db}, table));
      }
    }
    synced = true;
  }

  private synchronized void ensureSynced() {
    if (!synced) {
      refresh();
    }
  }

  // ---- reads ---------------------------------------------------------------------------------

  @Override
  public Table loadTable(Identifier ident) {
    ensureSynced();
    registerIfMissing(ident);
    return super.loadTable(ident);
  }

  @Override
  public Table loadTable(Identifier ident, String version) {
    ensureSynced();
    registerIfMissing(ident);
    return super.loadTable(ident, version);
  }

  @Override
  public Table loadTable(Identifier ident, long timestamp) {
    ensureSynced();
    registerIfMissing(ident);
    return super.loadTable(ident, timestamp);
  }

  @Override
  public boolean tableExists(Identifier ident) {
    ensureSynced();
    return super.tableExists(ident) || registerIfPresent(ident);
  }

  @Override
  public Identifier[] listTables(String[] namespace) throws NoSuchNamespaceException {
    ensureSynced();
    if (namespace.length == 1 && databaseFolderExists(namespace[0])) {
      registerDatabase(namespace[0]);
      for (String table : tableFolders(namespace[0])) {
        registerTable(Identifier.of(namespace, table));
      }
      for (String view : PersistedViews.names(databaseUri(namespace[0]))) {
        registerIfMissing(Identifier.of(namespace, view));
      }
    }
    return super.listTables(namespace);
  }

  @Override
  public String[][] listNamespaces() throws NoSuchNamespaceException {
    ensureSynced();
    for (String db : databaseFolders()) {
      registerDatabase(db);
    }
    return super.listNamespaces();
  }

  @Override
  public boolean namespaceExists(String[] namespace) {
    ensureSynced();
    if (super.namespaceExists(namespace)) {
      return true;
    }
    if (namespace.length == 1 && databaseFolderExists(namespace[0])) {
      registerDatabase(namespace[0]);
      return true;
    }
    return false;
  }

  // ---- namespaces ----------------------------------------------------------------------------

  @Override
  public void createNamespace(String[] namespace, Map<String, String> metadata)
      throws NamespaceAlreadyExistsException {
    ensureSynced();
    Map<String, String> withLocation = new HashMap<>(metadata);
    if (namespace.length == 1) {
      withLocation.putIfAbsent(SupportsNamespaces.PROP_LOCATION, databaseUri(namespace[0]));
      mkdirs(databaseUri(namespace[0]));
    }
    super.createNamespace(namespace, withLocation);
  }

  @Override
  public boolean dropNamespace(String[] namespace, boolean cascade)
      throws NoSuchNamespaceException, NonEmptyNamespaceException {
    ensureSynced();
    List<Identifier> tables = namespace.length == 1 ? Arrays.asList(super.listTables(namespace)) : List.of();
    boolean dropped = super.dropNamespace(namespace, cascade);
    if (dropped && namespace.length == 1) {
      for (Identifier table : tables) {
        delete(tableUri(table));
      }
      delete(databaseUri(namespace[0]));
    }
    return dropped;
  }

  // ---- tables: every new table lives in its folder -------------------------------------------

  @Override
  public Table createTable(Identifier ident, Column[] columns, Transform[] partitions, Map<String, String> properties) {
    ensureSynced();
    return super.createTable(ident, columns, partitions, placed(ident, properties));
  }

  @Override
  public Table createTable(Identifier ident, StructType schema, Transform[] partitions, Map<String, String> properties) {
    ensureSynced();
    return super.createTable(ident, schema, partitions, placed(ident, properties));
  }

  @Override
  public Table createTable(Identifier ident, TableInfo info)
      throws TableAlreadyExistsException, NoSuchNamespaceException {
    ensureSynced();
    return super.createTable(ident, placed(ident, info));
  }

  @Override
  public StagedTable stageCreate(Identifier ident, Column[] columns, Transform[] partitions, Map<String, String> properties)
      throws TableAlreadyExistsException, NoSuchNamespaceException {
    ensureSynced();
    return super.stageCreate(ident, columns, partitions, placed(ident, properties));
  }

  @Override
  public StagedTable stageCreate(Identifier ident, StructType schema, Transform[] partitions, Map<String, String> properties) {
    ensureSynced();
    return super.stageCreate(ident, schema, partitions, placed(ident, properties));
  }

  @Override
  public StagedTable stageCreate(Identifier ident, TableInfo info)
      throws TableAlreadyExistsException, NoSuchNamespaceException {
    ensureSynced();
    return super.stageCreate(ident, placed(ident, info));
  }

  @Override
  public StagedTable stageReplace(Identifier ident, Column[] columns, Transform[] partitions, Map<String, String> properties)
      throws NoSuchNamespaceException, NoSuchTableException {
    ensureSynced();
    return super.stageReplace(ident, columns, partitions, placed(ident, properties));
  }

  @Override
  public StagedTable stageReplace(Identifier ident, StructType schema, Transform[] partitions, Map<String, String> properties) {
    ensureSynced();
    return super.stageReplace(ident, schema, partitions, placed(ident, properties));
  }

  @Override
  public StagedTable stageReplace(Identifier ident, TableInfo info)
      throws NoSuchNamespaceException, NoSuchTableException {
    ensureSynced();
    return super.stageReplace(ident, placed(ident, info));
  }

  @Override
  public StagedTable stageCreateOrReplace(
      Identifier ident, Column[] columns, Transform[] partitions, Map<String, String> properties)
      throws NoSuchNamespaceException {
    ensureSynced();
    return super.stageCreateOrReplace(ident, columns, partitions, placed(ident, properties));
  }

  @Override
  public StagedTable stageCreateOrReplace(
      Identifier ident, StructType schema, Transform[] partitions, Map<String, String> properties) {
    ensureSynced();
    return super.stageCreateOrReplace(ident, schema, partitions, placed(ident, properties));
  }

  @Override
  public StagedTable stageCreateOrReplace(Identifier ident, TableInfo info) throws NoSuchNamespaceException {
    ensureSynced();
    return super.stageCreateOrReplace(ident, placed(ident, info));
  }

  @Override
  public boolean dropTable(Identifier ident) {
    ensureSynced();
    registerIfMissing(ident);
    String location = isPlatformIdentifier(ident) ? tableUri(ident) : null;
    boolean dropped = super.dropTable(ident);
    if (dropped && location != null) {
      delete(location);
    }
    return dropped;
  }

  @Override
  public boolean purgeTable(Identifier ident) {
    return dropTable(ident);
  }

  @Override
  public void renameTable(Identifier oldIdent, Identifier newIdent) {
    throw new UnsupportedOperationException(
        "Cannot rename " + oldIdent + " to " + newIdent + ": in the embedded warehouse catalog a table's"
            + " folder is its name. Copy it instead: CREATE TABLE " + newIdent + " AS SELECT * FROM " + oldIdent);
  }

  // ---- registration --------------------------------------------------------------------------

  /**
   * Registers {@code ident} when the shared in-memory catalog does not know it, or knows it in
   * another warehouse (a session of this JVM on another root registered it last).
   */
  private void registerIfMissing(Identifier ident) {
    if (!isPlatformIdentifier(ident)) {
      return;
    }
    if (!((TableCatalog) delegate).tableExists(ident)) {
      registerIfPresent(ident);
      return;
    }
    // A view has no location: registered, it is present.
    String registered = registeredLocation(ident);
    if (!registered.isEmpty() && !registered.equals(tableUri(ident))) {
      registerIfPresent(ident);
    }
  }

  private synchronized boolean registerIfPresent(Identifier ident) {
    if (!isPlatformIdentifier(ident)) {
      return false;
    }
    if (isDeltaTable(tableUri(ident))) {
      registerDatabase(ident.namespace()[0]);
      registerTable(ident);
      return true;
    }
    String view = databaseFolderExists(ident.namespace()[0])
        ? PersistedViews.read(databaseUri(ident.namespace()[0]), ident.name()) : null;
    if (view == null) {
      return false;
    }
    registerDatabase(ident.namespace()[0]);
    PersistedViews.restore(SparkSession.active(), ident.namespace()[0], ident.name(), view);
    return true;
  }

  private void registerDatabase(String db) {
    String[] ns = {db};
    SessionNamespaces namespaces = sessionNamespaces();
    if (namespaces.exists(ns)) {
      if (location(ns).equals(databaseUri(db))) {
        return;
      }
      dropRegistrationsOf(ns);
    }
    namespaces.create(ns, databaseUri(db));
  }

  private void registerTable(Identifier ident) {
    TableCatalog tables = (TableCatalog) delegate;
    String location = tableUri(ident);
    if (tables.tableExists(ident)) {
      if (location.equals(registeredLocation(ident))) {
        return;
      }
      PersistedViews.quietly(() -> tables.dropTable(ident));
    }
    if (!isDeltaTable(location)) {
      return;
    }
    Map<String, String> props = new HashMap<>();
    props.put(PROVIDER, "delta");
    props.put(LOCATION, location);
    props.put(TableCatalog.PROP_EXTERNAL, "true");
    try {
      tables.createTable(ident, new Column[0], new Transform[0], props);
    } catch (TableAlreadyExistsException e) {
      // Registered by another thread of this JVM meanwhile.
    } catch (NoSuchNamespaceException e) {
      throw new IllegalStateException("Cannot register " + ident + ": its database was just dropped", e);
    }
  }

  private String registeredLocation(Identifier ident) {
    try {
      Table t = ((TableCatalog) delegate).loadTable(ident);
      if (t instanceof V1Table v1 && v1.catalogTable().storage().locationUri().isDefined()) {
        return stripSlash(v1.catalogTable().storage().locationUri().get().toString());
      }
      return "";
    } catch (NoSuchTableException e) {
      return "";
    }
  }

  /**
   * Drops the registrations of a database without touching any data. Its tables are registered as
   * external, so dropping them leaves their files; but Spark's in-memory catalog deletes a
   * database's folder, tables and all, when it drops the database. So the registration is first
   * pointed at a folder that does not exist, and that is what the drop deletes.
   */
  private void dropRegistrationsOf(String[] ns) {
    PersistedViews.quietly(() -> dropAllOf(ns));
  }

  private void dropAllOf(String[] ns) {
    TableCatalog tables = (TableCatalog) delegate;
    SupportsNamespaces namespaces = (SupportsNamespaces) delegate;
    try {
      for (Identifier t : tables.listTables(ns)) {
        dropRegistration(tables, t);
      }
      namespaces.alterNamespace(ns, NamespaceChange.setProperty(SupportsNamespaces.PROP_LOCATION,
          root + "/_unregistered/" + java.util.UUID.randomUUID()));
      namespaces.dropNamespace(ns, true);
    } catch (NoSuchNamespaceException | NonEmptyNamespaceException e) {
      // Already gone.
    }
  }

  /** Drops a table's registration; a view's (which the session catalog refuses to drop as a table) goes with its database. */
  private static void dropRegistration(TableCatalog tables, Identifier t) {
    try {
      tables.dropTable(t);
    } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown undeclared
      if (!String.valueOf(e.getMessage()).contains("WRONG_COMMAND_FOR_OBJECT_TYPE")) {
        throw e;
      }
    }
  }

  private String location(String[] ns) {
    return sessionNamespaces().location(ns);
  }

  private SessionNamespaces sessionNamespaces() {
    return new SessionNamespaces((SupportsNamespaces) delegate);
  }

  // ---- placement -----------------------------------------------------------------------------

  private boolean isPlatformIdentifier(Identifier ident) {
    return ident.namespace().length == 1 && !isPathIdentifier(ident) && ident.name().matches("[A-Za-z0-9_]+")
        && ident.namespace()[0].matches("[A-Za-z0-9_]+");
  }

  private Map<String, String> placed(Identifier ident, Map<String, String> properties) {
    if (!isPlatformIdentifier(ident) || properties.containsKey(LOCATION)) {
      return properties;
    }
    Map<String, String> copy = new HashMap<>(properties);
    copy.put(LOCATION, tableUri(ident));
    return copy;
  }

  private TableInfo placed(Identifier ident, TableInfo info) {
    Map<String, String> props = placed(ident, info.properties());
    if (props == info.properties()) {
      return info;
    }
    return new TableInfo.Builder()
        .withColumns(info.columns())
        .withPartitions(info.partitions())
        .withConstraints(info.constraints())
        .withProperties(props)
        .build();
  }

  private String databaseUri(String db) {
    return root + "/" + db + DATABASE_SUFFIX;
  }

  private String tableUri(Identifier ident) {
    return databaseUri(ident.namespace()[0]) + "/" + ident.name();
  }

  // ---- the warehouse's folders ---------------------------------------------------------------

  private List<String> databaseFolders() {
    List<String> result = new ArrayList<>();
    for (FileStatus s : list(root)) {
      String name = s.getPath().getName();
      if (s.isDirectory() && name.endsWith(DATABASE_SUFFIX) && name.length() > DATABASE_SUFFIX.length()) {
        result.add(name.substring(0, name.length() - DATABASE_SUFFIX.length()));
      }
    }
    return result;
  }

  private List<String> tableFolders(String db) {
    List<String> result = new ArrayList<>();
    for (FileStatus s : list(databaseUri(db))) {
      if (s.isDirectory() && !s.getPath().getName().startsWith(".") && !s.getPath().getName().startsWith("_")
          && isDeltaTable(s.getPath().toString())) {
        result.add(s.getPath().getName());
      }
    }
    return result;
  }

  private boolean databaseFolderExists(String db) {
    return exists(databaseUri(db));
  }

  private boolean isDeltaTable(String location) {
    return exists(location + "/_delta_log");
  }

  private FileStatus[] list(String uri) {
    try {
      Path p = new Path(uri);
      FileSystem fs = p.getFileSystem(hadoopConf());
      return fs.exists(p) ? fs.listStatus(p) : new FileStatus[0];
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the warehouse folder " + uri, e);
    }
  }

  private boolean exists(String uri) {
    try {
      Path p = new Path(uri);
      return p.getFileSystem(hadoopConf()).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the warehouse folder " + uri, e);
    }
  }

  private void mkdirs(String uri) {
    try {
      Path p = new Path(uri);
      p.getFileSystem(hadoopConf()).mkdirs(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the warehouse folder " + uri, e);
    }
  }

  private void delete(String uri) {
    if (!uri.startsWith(root + "/")) {
      return;
    }
    try {
      Path p = new Path(uri);
      p.getFileSystem(hadoopConf()).delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the warehouse folder " + uri, e);
    }
  }

  private static Configuration hadoopConf() {
    return SparkSession.active().sessionState().newHadoopConf();
  }

  private static String stripSlash(String uri) {
    String s = Objects.requireNonNull(uri);
    while (s.endsWith("/") && !s.endsWith("://")) {
      s = s.substring(0, s.length() - 1);
    }
    // Normalise file:///x and file:/x to the form Hadoop prints.
    if (s.startsWith("file:")) {
      s = new Path(URI.create(s)).toUri().toString();
      s = s.startsWith("file:///") ? "file:/" + s.substring("file:///".length()) : s;
    }
    return s;
  }

  /** The delegate's namespace operations, with the in-memory catalog's exceptions handled. */
  private record SessionNamespaces(SupportsNamespaces catalog) {
    boolean exists(String[] ns) {
      return catalog.namespaceExists(ns);
    }

    String[][] listNamespacesQuietly() {
      try {
        return catalog.listNamespaces();
      } catch (NoSuchNamespaceException e) {
        return new String[0][];
      }
    }

    String location(String[] ns) {
      try {
        String loc = catalog.loadNamespaceMetadata(ns).get(SupportsNamespaces.PROP_LOCATION);
        return loc == null ? "" : stripSlash(loc);
      } catch (NoSuchNamespaceException e) {
        return "";
      }
    }

    void create(String[] ns, String location) {
      try {
        catalog.createNamespace(ns, Map.of(SupportsNamespaces.PROP_LOCATION, location));
      } catch (NamespaceAlreadyExistsException e) {
        // Created by another thread of this JVM meanwhile.
      }
    }
  }
}
